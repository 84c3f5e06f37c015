/**
 * The runner: replays a regression case against a live agent in the incident's recorded world,
 * reads each run's trajectory back from Sightline by the run's own trace id, evaluates the case's
 * assertions and reduces the runs to one verdict under the run policy. Fail closed: an unreachable
 * agent or Sightline is a harness error (2), a wrong release or a missing trace is unverifiable (3).
 */
import { randomBytes } from 'node:crypto'
import { RegressionCaseSchema, type RegressionCase } from '@sightline/schema'
import type { RunVerdict } from '@sightline/schema'
import { caseVerdict, evaluateCase, observeRun, SpanFlag, type AssertionResult } from '@sightline/core'
import { AgentUnreachableError, sendToAgent, type Protocol } from './agent-client.js'
import { freePort, startAgentProcess, type AgentProcess } from './agent-process.js'
import { exitCodeFor } from './exit-codes.js'
import { runnerSpan, RUNNER_SERVICE, sendCallerSpan } from './request-span.js'
import { markResourceAttributes, type RunMark } from './run-marker.js'
import { SightlineApi, SightlineApiError } from './sightline-api.js'
import { startWorld, type World } from './world.js'

export interface RunCaseOptions {
  /**
   * Agent base URL (A2A: where its card is) or endpoint (http). With agentCmd and no target, the runner picks a port
   * and passes it as `PORT`.
   */
  target?: string
  /** Shell command that starts the agent; it gets the world's URLs in its environment. */
  agentCmd?: string
  protocol?: Protocol
  sightlineUrl?: string
  apiKey?: string
  runs?: number
  /** Per run: the agent's answer plus the trace's arrival. Default: the case's policy. */
  timeoutSeconds?: number
  expectRelease?: string
  /** Fixed base port for the world (see `serve-world`); default: free ports. */
  worldPort?: number
  /** Do not start the world: the agent already points at one (`sightline regress serve-world`). */
  noWorld?: boolean
  /** Report each run to Sightline (POST runs). Default true. */
  report?: boolean
  log?: (line: string) => void
}

export interface RunResult {
  attempt: number
  runId: string
  traceId: string
  verdict: RunVerdict
  release: string
  startedAt: string
  durationMs: number
  output: string
  assertions: AssertionResult[]
  /** Why the run was not scored (error / unverifiable). */
  problem?: string
}

export interface CaseResult {
  caseId: string
  /**
   * `sightline.regress.run_id` of the agent process the runner started (its traffic is marked as a replay); '' without
   * --agent-cmd.
   */
  markedRunId: string
  title: string
  verdict: RunVerdict
  exitCode: number
  summary: string
  runs: RunResult[]
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex')
const DEFAULT_URL = 'http://127.0.0.1:4318'

/** Parses a case file's JSON; a bad file is a harness error with every problem named. */
export function parseCase(raw: unknown): RegressionCase {
  const parsed = RegressionCaseSchema.safeParse(raw)
  if (parsed.success) return parsed.data
  throw new Error(
    `not a valid regression case: ${parsed.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ')}`,
  )
}

function errorResult(
  caseId: string,
  title: string,
  verdict: RunVerdict,
  problem: string,
  markedRunId = '',
): CaseResult {
  return {
    caseId,
    markedRunId,
    title,
    verdict,
    exitCode: exitCodeFor(verdict),
    summary: `${caseId}: ${verdict}: ${problem}`,
    runs: [],
  }
}

/**
 * Replays one case; resolves (never rejects) with the verdict and exit code.
 * @example const result = await runCase(rc, { target: 'http://127.0.0.1:7300', sightlineUrl, apiKey });
 * process.exitCode = result.exitCode
 */
export async function runCase(input: unknown, options: RunCaseOptions = {}): Promise<CaseResult> {
  const log = options.log ?? (() => {})
  let rc: RegressionCase
  try {
    rc = parseCase(input)
  } catch (err) {
    return errorResult('(invalid case)', '', 'error', (err as Error).message)
  }
  const protocol = options.protocol ?? rc.agent.protocol
  const runs = options.runs ?? rc.policy.runs
  const timeoutMs = (options.timeoutSeconds ?? rc.policy.timeoutSeconds) * 1000
  const expectRelease = options.expectRelease ?? rc.policy.expectRelease
  const api = new SightlineApi(options.sightlineUrl ?? DEFAULT_URL, options.apiKey)
  if (!options.target && !options.agentCmd)
    return errorResult(
      rc.id,
      rc.title,
      'error',
      'give --target (a running agent) or --agent-cmd (the runner starts it)',
    )

  let world: World | undefined
  let agent: AgentProcess | undefined
  const mark: RunMark = { runId: hex(8), caseId: rc.id }
  const markedRunId = options.agentCmd ? mark.runId : ''
  if (!options.agentCmd)
    log(
      `note: the runner did not start the agent: only the runner's request span marks each trace as a replay; ` +
        `start the agent with OTEL_RESOURCE_ATTRIBUTES=${markResourceAttributes(undefined, mark)} to mark its own ` +
        `spans too`,
    )
  try {
    if (!options.noWorld) {
      world = await startWorld(rc, options.worldPort === undefined ? {} : { port: options.worldPort })
      log(
        `world: ${
          Object.entries(world.env)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ') || '(nothing recorded)'
        }`,
      )
    }
    let target = options.target
    // The agent exports where the runner reads: it gets the runner's Sightline URL and key too, and
    // the resource attributes that mark its traffic as a replay rather than production.
    const agentEnv: Record<string, string> = {
      ...world?.env,
      SIGHTLINE_REGRESSION_CASE: rc.id,
      SIGHTLINE_URL: api.baseUrl,
      ...(options.apiKey ? { SIGHTLINE_API_KEY: options.apiKey } : {}),
      OTEL_RESOURCE_ATTRIBUTES: markResourceAttributes(process.env.OTEL_RESOURCE_ATTRIBUTES, mark),
    }
    if (options.agentCmd) {
      if (!target) {
        const port = await freePort()
        agentEnv.PORT = String(port)
        target = `http://127.0.0.1:${port}`
      }
      agent = await startAgentProcess(options.agentCmd, agentEnv, target, protocol, Math.min(timeoutMs, 60_000))
      log(`agent started: ${options.agentCmd} (${target})`)
    }
    const results: RunResult[] = []
    for (let attempt = 1; attempt <= runs; attempt++) {
      const result = await runOnce(rc, {
        ...options,
        target: target!,
        protocol,
        timeoutMs,
        expectRelease,
        api,
        world,
        attempt,
        mark,
        marked: markedRunId !== '',
      })
      log(
        `run ${attempt}/${runs}: ${result.verdict}${result.problem ? ` (${result.problem})` : ''} ` +
          `trace ${result.traceId}`,
      )
      results.push(result)
      if (options.report !== false) {
        try {
          const known = await api.reportRun(rc.id, {
            runId: result.runId,
            release: result.release,
            verdict: result.verdict,
            traceId: result.traceId,
            startedAt: result.startedAt,
            durationMs: result.durationMs,
            attempt,
            summary: (
              result.problem ??
              result.assertions
                .filter((a) => !a.passed)
                .map((a) => `${a.id}: ${a.detail}`)
                .join('\n')
            ).slice(0, 4000),
          })
          if (!known) log(`note: case ${rc.id} is not saved in Sightline; run not recorded in its history`)
        } catch (err) {
          log(`warning: could not report the run: ${(err as Error).message}`)
        }
      }
    }
    const verdict = caseVerdict(
      results.map((r) => r.verdict),
      rc.policy.passRule,
    )
    const passed = results.filter((r) => r.verdict === 'pass').length
    const failing = [
      ...new Set(
        results.flatMap((r) => r.assertions.filter((a) => a.blocking && !a.passed).map((a) => `${a.id}: ${a.detail}`)),
      ),
    ]
    const problems = [...new Set(results.flatMap((r) => (r.problem ? [r.problem] : [])))]
    const summary =
      `${rc.id}: ${verdict} (${passed}/${results.length} runs passed, rule ${JSON.stringify(rc.policy.passRule)})` +
      [...failing, ...problems].map((line) => `\n  - ${line}`).join('')
    return {
      caseId: rc.id,
      markedRunId,
      title: rc.title,
      verdict,
      exitCode: exitCodeFor(verdict),
      summary,
      runs: results,
    }
  } catch (err) {
    return errorResult(rc.id, rc.title, 'error', (err as Error).message, markedRunId)
  } finally {
    await agent?.stop()
    await world?.close()
  }
}

interface RunContext extends RunCaseOptions {
  target: string
  protocol: Protocol
  timeoutMs: number
  expectRelease: string | undefined
  api: SightlineApi
  world: World | undefined
  attempt: number
  mark: RunMark
  /** The runner started the agent with the replay mark. */
  marked: boolean
}

async function runOnce(rc: RegressionCase, ctx: RunContext): Promise<RunResult> {
  const traceId = hex(16)
  const runId = hex(8)
  const started = Date.now()
  const base = {
    attempt: ctx.attempt,
    runId,
    traceId,
    release: '',
    startedAt: new Date(started).toISOString(),
    output: '',
    assertions: [] as AssertionResult[],
  }
  const done = (verdict: RunVerdict, extra: Partial<RunResult>): RunResult => ({
    ...base,
    verdict,
    durationMs: Date.now() - started,
    ...extra,
  })
  const metadata = {
    ...rc.input.metadata,
    'sightline.regression': { caseId: rc.id, runId, world: ctx.world?.env ?? {} },
  }
  const requestSpanId = hex(8)
  const traceRequest = async (output: string) => {
    const span = runnerSpan(
      { traceId, spanId: requestSpanId, startMs: started, endMs: Date.now(), input: rc.input.text, output },
      ctx.mark,
    )
    await sendCallerSpan(ctx.api.baseUrl, ctx.apiKey, span)
  }
  let reply
  try {
    reply = await sendToAgent({
      target: ctx.target,
      protocol: ctx.protocol,
      text: rc.input.text,
      metadata,
      traceparent: `00-${traceId}-${requestSpanId}-01`,
      timeoutMs: ctx.timeoutMs,
    })
  } catch (err) {
    // An agent that answered badly or too late may have traced its work: its trace gets its root too.
    if (!(err instanceof AgentUnreachableError)) await traceRequest('').catch(() => {})
    return done('error', {
      problem: err instanceof AgentUnreachableError ? err.message : `agent request failed: ${(err as Error).message}`,
    })
  }
  try {
    await traceRequest(reply.text)
  } catch (err) {
    return done('error', { release: reply.release, output: reply.text, problem: (err as Error).message })
  }
  if (ctx.expectRelease && reply.release && reply.release !== ctx.expectRelease) {
    return done('unverifiable', {
      release: reply.release,
      output: reply.text,
      problem: `agent reports release ${reply.release}, expected ${ctx.expectRelease}`,
    })
  }
  let trace
  try {
    trace = await ctx.api.waitForTrace(traceId, started + ctx.timeoutMs)
  } catch (err) {
    return done(err instanceof SightlineApiError ? 'error' : 'error', {
      release: reply.release,
      output: reply.text,
      problem: (err as Error).message,
    })
  }
  if (!trace || trace.spans.length === 0) {
    return done('unverifiable', {
      release: reply.release,
      output: reply.text,
      problem: `trace ${traceId} never arrived in Sightline (is the agent instrumented and exporting?)`,
    })
  }
  if (trace.trace.outcome === 'running') {
    return done('unverifiable', {
      release: reply.release,
      output: reply.text,
      problem: `trace ${traceId} never finished in Sightline: its root span did not arrive or did not end`,
    })
  }
  if (
    ctx.marked &&
    trace.spans.some((s) => s.serviceName !== RUNNER_SERVICE && !s.flags.includes(SpanFlag.regressionRun))
  ) {
    ctx.log?.(
      `note: the agent's spans in trace ${traceId} are not marked as a replay: ` +
        `does its OTel SDK read OTEL_RESOURCE_ATTRIBUTES?`,
    )
  }
  // The server's outcome and failure reason are the run's: the same answer its trace list shows.
  const run = observeRun(trace.spans, { summary: trace.trace })
  run.output = reply.text || run.output
  if (!reply.ok)
    run.outcome = {
      status: 'error',
      errorType: run.outcome.errorType || 'task_failed',
      message: run.outcome.message || reply.text,
    }
  const release = reply.release || run.releases[run.releases.length - 1] || ''
  if (ctx.expectRelease && !(reply.release === ctx.expectRelease || run.releases.includes(ctx.expectRelease))) {
    return done('unverifiable', {
      release,
      output: run.output,
      problem: `the run's trace shows release ${run.releases.join(', ') || '(none)'}, expected ${ctx.expectRelease}`,
    })
  }
  const { passed, results } = evaluateCase(rc, run)
  return done(passed ? 'pass' : 'fail', { release, output: run.output, assertions: results })
}
