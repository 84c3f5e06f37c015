/**
 * Runs one evaluator on one trace: reads the trace as the API shows it, computes the evaluator's
 * value (trajectory metric against its reference, an outcome check, or the judge's verdict), and
 * records both the score (source `evaluator`, id per evaluator version and trace, so a re-run of
 * the same version writes nothing new) and the run (input, output, latency, cost). Any failure is
 * an error score and an `error` run: never a silent skip.
 */
import { randomBytes } from 'node:crypto'
import {
  evaluateOutcome,
  judgeRequestBody,
  judgeUsage,
  observeCounted,
  parseJudgeAnswer,
  singleToolUse,
  trajectoryMetric,
  trajectoryScores,
  type ObservedRun,
} from '@sightline/core'
import {
  RegressionCaseSchema,
  type CaseMatch,
  type CaseStep,
  type Evaluator,
  type TraceSummary,
} from '@sightline/schema'
import type { EvaluatorRepository, EvaluatorRunRow } from '../db/repositories/evaluators.js'
import type { ReferenceRepository } from '../db/repositories/references.js'
import type { RegressionRepository } from '../db/repositories/regression.js'
import type { TraceReader } from '../resolve/trace-reader.js'
import type { Deps } from '../deps.js'
import { checkJsonSchema } from './json-schema-check.js'
import { JudgeError, type JudgeClient } from './judge-client.js'
import { traceJudgeCall } from './judge-trace.js'
import type { ScoreWriter } from './score-writer.js'
import { chTime } from '../db/sql.js'

export interface RunnerDeps {
  traceReader: TraceReader
  regression: RegressionRepository
  references: ReferenceRepository
  evaluators: EvaluatorRepository
  scoreWriter: ScoreWriter
  judge: JudgeClient | undefined
  ingest: Pick<Deps, 'writer' | 'env'>
}

interface Outcome {
  value?: number
  label?: string
  error?: string
  status: EvaluatorRunRow['status']
  input: string
  output: string
  costUsd: number | null
  judgeTraceId: string
}

const MAX_TEXT = 8 * 1024
const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}… [truncated]` : text)
const stepLine = (s: CaseStep) =>
  `${s.agent ? `${s.agent}: ` : ''}${s.kind} ${s.name}` +
  `${s.args && Object.keys(s.args).length ? ` ${JSON.stringify(s.args)}` : ''}${s.isError ? ' (error)' : ''}`

function scoreIdOf(evaluator: Pick<Evaluator, 'id' | 'version'>, traceId: string): string {
  return `ev:${evaluator.id}:v${evaluator.version}:${traceId}`
}

export class EvaluatorRunner {
  constructor(private readonly deps: RunnerDeps) {}

  /** Evaluates; resolves with the run's status (the score and run are stored). */
  async run(projectId: string, evaluator: Evaluator, traceId: string): Promise<EvaluatorRunRow['status']> {
    const started = Date.now()
    let outcome: Outcome
    try {
      outcome = await this.evaluate(projectId, evaluator, traceId)
    } catch (err) {
      // A fault of ours (store down) is an error run too, so the trace shows why it has no score.
      outcome = {
        status: 'error',
        error: `evaluator failed: ${(err as Error).message}`,
        input: '',
        output: '',
        costUsd: null,
        judgeTraceId: '',
      }
    }
    const scoreId = scoreIdOf(evaluator, traceId)
    const common = {
      id: scoreId,
      traceId,
      name: evaluator.scoreName,
      source: 'evaluator' as const,
      evaluator: evaluator.id,
      evaluatorVersion: String(evaluator.version),
      author: '',
    }
    const comment = clip(outcome.output).slice(0, 4000)
    try {
      await this.deps.scoreWriter.write(projectId, [
        outcome.value === undefined
          ? { ...common, comment, error: (outcome.error ?? 'no value').slice(0, 4000) }
          : { ...common, comment, value: outcome.value, ...(outcome.label ? { label: outcome.label } : {}) },
      ])
    } catch (err) {
      // The score config may refuse the value (its range changed since the evaluator was saved): say so on the run.
      outcome = { ...outcome, status: 'error', error: `score not stored: ${(err as Error).message}` }
    }
    await this.deps.evaluators.addRuns([
      {
        project_id: projectId,
        evaluator_id: evaluator.id,
        evaluator_version: evaluator.version,
        trace_id: traceId,
        run_id: randomBytes(8).toString('hex'),
        started_at: chTime(started),
        latency_ms: Date.now() - started,
        cost_usd: outcome.costUsd,
        status: outcome.status,
        input: clip(outcome.input),
        output: clip(outcome.output),
        error: outcome.error ?? '',
        score_id: scoreId,
        judge_trace_id: outcome.judgeTraceId,
      },
    ])
    return outcome.status
  }

  private async evaluate(projectId: string, evaluator: Evaluator, traceId: string): Promise<Outcome> {
    const base = { costUsd: null, judgeTraceId: '', input: '', output: '' }
    const found = await this.deps.traceReader.get(projectId, traceId, 'full')
    if (!found) return { ...base, status: 'error', error: `trace ${traceId} is not in this project` }
    const observed = observeCounted(found.spans)
    const c = evaluator.config
    if (c.type === 'trajectory') {
      if (c.metric === 'single_tool') {
        const value = singleToolUse(observed.steps, c.tool ?? '', c.scope)
        return {
          ...base,
          status: 'ok',
          value,
          input: observed.steps.map(stepLine).join('\n'),
          output: value ? `${c.tool} was called` : `${c.tool} was never called`,
        }
      }
      const reference = await this.reference(projectId, evaluator)
      if ('error' in reference) return { ...base, status: 'error', error: reference.error }
      const scores = trajectoryScores(reference.steps, observed.steps, {
        kinds: reference.match.kinds,
        agent: c.scope || undefined,
      })
      const value = trajectoryMetric(scores, c.metric)
      return {
        ...base,
        status: 'ok',
        value,
        input:
          `reference ` +
          `(${reference.name}):\n${reference.steps.map(stepLine).join('\n')}\n\nrun:\n` +
          `${observed.steps.map(stepLine).join('\n')}`,
        output:
          `${c.metric} ${round(value)} (exact ${scores.exact}, in order ${scores.inOrder}, ` +
          `any order ${scores.anyOrder}, precision ${round(scores.precision)}, recall ${round(scores.recall)})`,
      }
    }
    if (c.type === 'outcome') {
      const facts = outcomeFacts(found.trace, observed)
      const result = evaluateOutcome(c, facts, checkJsonSchema)
      return {
        ...base,
        status: 'ok',
        value: result.value,
        input: JSON.stringify({ ...facts, output: clip(facts.output) }),
        output: result.detail,
      }
    }
    return this.judge(projectId, evaluator, c, found.trace, observed)
  }

  private async judge(
    projectId: string,
    evaluator: Evaluator,
    c: Extract<Evaluator['config'], { type: 'llm_judge' }>,
    trace: TraceSummary,
    observed: ObservedRun,
  ): Promise<Outcome> {
    const base = { costUsd: null, judgeTraceId: '', input: '', output: '' }
    const judge = this.deps.judge
    if (!judge) return { ...base, status: 'error', error: 'no judge endpoint configured (set SIGHTLINE_JUDGE_URL)' }
    const today = new Date().toISOString().slice(0, 10)
    const spent = await this.deps.evaluators.spentSince(projectId, evaluator.id, `${today} 00:00:00.000`)
    if (spent >= c.budgetUsdPerDay)
      return {
        ...base,
        status: 'skipped_budget',
        error: `judge budget of $${c.budgetUsdPerDay}/day reached ($${spent.toFixed(4)} spent today)`,
      }
    const model = c.model ?? judge.endpoint.model
    const spec = {
      rubric: c.rubric,
      scoreMin: c.scoreMin,
      scoreMax: c.scoreMax,
      labels: c.labels,
      maxOutputTokens: c.maxOutputTokens,
    }
    const facts = {
      input: observed.input,
      output: observed.output,
      trajectory: observed.steps.map(stepLine).join('\n'),
      outcome: `${trace.outcome}${trace.failureReason ? `: ${trace.failureReason}` : ''}`,
      error: trace.firstError?.message ?? '',
    }
    const body = judgeRequestBody(spec, model, facts)
    const prompt = (body.messages as Array<{ content: string }>).map((m) => m.content).join('\n\n')
    const span = {
      projectId,
      evaluatorId: evaluator.id,
      evaluatedTraceId: trace.traceId,
      provider: judge.endpoint.provider,
      requestModel: model,
      prompt,
    }
    let call
    try {
      call = await judge.complete(body)
    } catch (err) {
      const error = err instanceof JudgeError ? err.message : `judge call failed: ${(err as Error).message}`
      const now = Date.now()
      const traced = await traceJudgeCall(this.deps.ingest, {
        ...span,
        responseModel: '',
        responseId: '',
        answer: '',
        inputTokens: 0,
        outputTokens: 0,
        cachedInputTokens: 0,
        startedMs: now,
        endedMs: now,
        error,
      })
      return { ...base, status: 'error', error, input: prompt, judgeTraceId: traced.traceId }
    }
    const usage = judgeUsage(call.body)
    const traced = await traceJudgeCall(this.deps.ingest, {
      ...span,
      responseModel: call.responseModel,
      responseId: call.responseId,
      answer: call.content,
      ...usage,
      startedMs: call.startedMs,
      endedMs: call.endedMs,
      error: '',
    })
    const parsed = parseJudgeAnswer(spec, call.content)
    const priced = { input: prompt, output: call.content, costUsd: traced.costUsd, judgeTraceId: traced.traceId }
    if (!parsed.ok) return { ...priced, status: 'error', error: parsed.error }
    return {
      ...priced,
      status: 'ok',
      value: parsed.verdict.score,
      ...(parsed.verdict.label ? { label: parsed.verdict.label } : {}),
      output: parsed.verdict.explanation || call.content,
    }
  }

  private async reference(
    projectId: string,
    evaluator: Evaluator,
  ): Promise<{ name: string; steps: CaseStep[]; match: CaseMatch } | { error: string }> {
    const ref = evaluator.config.type === 'trajectory' ? evaluator.config.reference : undefined
    if (!ref) return { error: 'no reference trajectory configured' }
    if (ref.kind === 'reference') {
      const found = await this.deps.references.get(projectId, ref.id)
      return found
        ? { name: found.name, steps: found.steps, match: found.match }
        : { error: `reference trajectory ${ref.id} no longer exists` }
    }
    const stored = await this.deps.regression.get(projectId, ref.caseId)
    if (!stored) return { error: `regression case ${ref.caseId} no longer exists` }
    const rc = RegressionCaseSchema.parse(JSON.parse(stored.caseJson))
    return { name: `case ${rc.id}`, steps: rc.expected.trajectory, match: rc.expected.match }
  }
}

const round = (v: number) => Math.round(v * 1000) / 1000

function outcomeFacts(trace: TraceSummary, observed: ObservedRun) {
  return {
    output: observed.output || trace.outputPreview,
    outcome: trace.outcome,
    tags: trace.tags,
    costUsd: trace.costUsd,
    durationMs: trace.durationMs,
    steps: trace.llmCallCount + trace.toolCallCount + trace.delegationCount,
  }
}
