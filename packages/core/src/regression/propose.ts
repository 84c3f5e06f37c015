/**
 * @module regression/propose
 * A proposed regression case for any trace: what went wrong (loop, error spans, budget overrun),
 * the observed trajectory with the failure removed as the expected one, suggested assertions, and a
 * check of every assertion against the source trace itself (a blocking assertion that passes on the
 * incident can never catch it). Captured content goes through the shared redaction rules first.
 */
import { RegressionCaseSchema, type CaseAssertion, type CaseStep, type RegressionCase } from '@sightline/schema'
import { evaluateAssertion } from './assertions.js'
import { canonicalJson } from '../content/canonical-json.js'
import { observeRun, type ObservableSpan, type ObserveOptions, type ObservedRun } from './observe.js'
import { redactJson } from '../redact.js'

/** The expected trajectory keeps at most this many attempts of a looping call. */
export const MAX_ATTEMPTS = 2

export interface ProposeOptions {
  /** ISO time written to `createdAt`. */
  now: string
  /** Budgets the trace is judged against for "budget overrun" (e.g. the agent's p95). */
  limits?: { maxSteps?: number; maxTokens?: number; maxCostUsd?: number; maxLatencyMs?: number }
  /** Apply the redaction rules to captured content (default true). */
  redact?: boolean
  /** The server's summary of the trace: its outcome and failure reason are the ones the case records. */
  summary?: ObserveOptions['summary']
}

export interface AssertionCheck {
  assertionId: string
  blocking: boolean
  checkedAgainstSource: { wouldFail: boolean; detail: string }
  /** Set when a blocking assertion passes on the source: it could never have caught this incident. */
  warning?: string
}

export interface RegressionCaseProposal {
  case: RegressionCase
  checks: AssertionCheck[]
  redaction: { applied: boolean; fields: string[] }
  warnings: string[]
}

const DEFAULT_LIMITS = { maxSteps: 40, maxTokens: 500_000 }
const VOLATILE_KEY = /^(timestamp|ts|nonce|request_?id|idempotency_?key|trace_?id|span_?id)$/i

/** `researcher-agent` → `RESEARCHER_URL` (the demo fleet's convention). */
export function envNameForAgent(agent: string): string {
  const base = agent.replace(/[-_ ]?agent$/i, '') || agent
  return `${
    base
      .replace(/[^A-Za-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .toUpperCase() || 'AGENT'
  }_URL`
}

/** At most `max` characters, cut at a word boundary with an ellipsis. */
const clip = (text: string, max: number) =>
  text.length <= max ? text : `${text.slice(0, max - 1).replace(/\s+\S*$/, '')}…`

const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)

interface Failure {
  category: RegressionCase['failure']['category']
  summary: string
  detectedBy: string
  evidenceSpanIds: string[]
}

const argsText = (step: CaseStep | undefined) => canonicalJson(JSON.stringify(step?.args ?? {}))

/** The resolver's worst loop (identical calls, not a retry that recovered) as the case's failure. */
function loopFailure(run: ObservedRun): { failure: Failure; loop: { tool: string; count: number } } | undefined {
  const loop = run.trace.loops[0]
  if (!loop) return undefined
  const first = run.steps.find((s) => s.spanId === loop.spanIds[0])
  const key = `${loop.tool} ${argsText(first)}`
  const results = run.tools
    .filter((t) => t.tool === loop.tool)
    .map((t) => t.result.content.map((c) => (typeof c.text === 'string' ? c.text : '')).join(' '))
    .filter(Boolean)
  return {
    loop: { tool: loop.tool, count: loop.calls },
    failure: {
      category: 'loop',
      summary:
        `Loop: ${key} called ${loop.calls} times with the same arguments` +
        (results[0] ? ` (the tool answered ${JSON.stringify(results[0].slice(0, 80))})` : '') +
        (run.trace.outcome === 'failed' ? `; the run failed: ${run.trace.failureReason}` : ''),
      detectedBy: 'detector:repeated_tool_call',
      evidenceSpanIds: loop.spanIds,
    },
  }
}

/** A failed run: the delegation, the unhandled tool errors or the error its failure comes from. */
function outcomeFailure(run: ObservedRun): Failure {
  const unrecovered = new Set(run.errors.filter((e) => !e.recovered).map((e) => e.spanId))
  const failedDelegation = run.agents.find(
    (a) => a.state === 'failed' && a.spanId !== undefined && unrecovered.has(a.spanId),
  )
  if (failedDelegation) {
    return {
      category: 'delegation_failed',
      summary:
        `Delegation to ${failedDelegation.agent} ` +
        `failed${failedDelegation.answer ? `: ${failedDelegation.answer}` : ''}`,
      detectedBy: 'detector:error_span',
      evidenceSpanIds: [failedDelegation.spanId!],
    }
  }
  const toolErrors = run.errors.filter((e) => e.isTool && !e.recovered)
  const unhandled = toolErrors.length > 0
  return {
    category: unhandled ? 'tool_error_unhandled' : 'error',
    summary:
      `The run failed: ${run.trace.failureReason || 'error status'}` +
      (unhandled ? ` after ${toolErrors.length} tool error(s) (${toolErrors[0]!.name})` : ''),
    detectedBy: 'detector:error_span',
    evidenceSpanIds: [...new Set([run.trace.failureSpanId, ...toolErrors.map((e) => e.spanId)])].filter(Boolean),
  }
}

function detectFailure(
  run: ObservedRun,
  limits: Required<ProposeOptions>['limits'],
): { failure: Failure; loop?: { tool: string; count: number } } {
  const loop = loopFailure(run)
  if (loop) return loop
  if (run.trace.outcome === 'failed') return { failure: outcomeFailure(run) }
  const over = (
    [
      ['steps', run.usage.steps, limits.maxSteps],
      ['tokens', run.usage.inputTokens + run.usage.outputTokens, limits.maxTokens],
      ['costUsd', run.usage.costUsd, limits.maxCostUsd],
      ['latencyMs', run.usage.latencyMs, limits.maxLatencyMs],
    ] as const
  ).find(([, value, limit]) => value !== null && limit !== undefined && value > limit)
  if (over) {
    return {
      failure: {
        category: 'budget_overrun',
        summary: `Budget overrun: ${over[0]} ${over[1]} > ${over[2]}`,
        detectedBy: 'detector:budget',
        evidenceSpanIds: [run.rootSpanId].filter(Boolean),
      },
    }
  }
  if (run.errors.length) {
    const e = run.errors[0]!
    // The run still ended well (outcome `recovered`): what failed inside is the finding.
    return {
      failure: {
        category: 'error',
        summary:
          `Recovered from ${run.errors.length} failed span(s), ` +
          `first: ${e.name}${e.message ? ` (${e.message})` : ''}`,
        detectedBy: 'detector:error_span',
        evidenceSpanIds: run.errors.map((x) => x.spanId),
      },
    }
  }
  return {
    failure: {
      category: 'other',
      summary: 'No failure detected automatically: describe what went wrong.',
      detectedBy: 'manual',
      evidenceSpanIds: [],
    },
  }
}

/** Observed steps minus the failure: each looping call kept at most MAX_ATTEMPTS times. */
function expectedFrom(run: ObservedRun): CaseStep[] {
  const seen = new Map<string, number>()
  const out: CaseStep[] = []
  for (const s of run.steps) {
    if (s.kind === 'llm_call') continue
    const key = `${s.kind} ${s.name} ${canonicalJson(JSON.stringify(s.args ?? {}))}`
    const n = (seen.get(key) ?? 0) + 1
    seen.set(key, n)
    if (n > MAX_ATTEMPTS) continue
    const ignorePaths = Object.keys(s.args ?? {})
      .filter((k) => VOLATILE_KEY.test(k))
      .map((k) => `/${k}`)
    out.push({
      kind: s.kind,
      name: s.name,
      agent: s.agent,
      ...(s.protocol ? { protocol: s.protocol } : {}),
      ...(s.args ? { args: s.args } : {}),
      argsMatch: 'subset',
      ignorePaths,
      optional: false,
    })
  }
  return out
}

function suggestAssertions(
  run: ObservedRun,
  expected: CaseStep[],
  loop: { tool: string; count: number } | undefined,
): CaseAssertion[] {
  const out: CaseAssertion[] = [
    {
      id: 'trajectory',
      type: 'trajectory',
      description: 'tool calls and delegations follow the expected trajectory',
      blocking: true,
      scope: '',
    },
  ]
  if (loop) {
    out.push({
      id: 'no-repeated-calls',
      type: 'max_repeated_calls',
      tool: loop.tool,
      max: MAX_ATTEMPTS,
      ignorePaths: [],
      description: `${loop.tool} is not called more than ${MAX_ATTEMPTS} times with the same arguments`,
      blocking: true,
      scope: '',
    })
  }
  out.push({
    id: 'status-ok',
    type: 'status',
    equals: 'ok',
    description: 'the run ends without error',
    blocking: true,
    scope: '',
  })
  if (run.errors.some((e) => !e.isTool))
    out.push({
      id: 'no-errors',
      type: 'no_errors',
      includeToolErrors: false,
      description: 'no agent or LLM span fails (tool errors are part of the recorded world)',
      blocking: true,
      scope: '',
    })
  const expectedTools = expected.filter((s) => s.kind === 'tool_call').length
  out.push({
    id: 'budget-tool-calls',
    type: 'budget',
    metric: 'toolCalls',
    max: expectedTools + 2,
    description: 'tool calls stay near the expected count',
    blocking: true,
    scope: '',
  })
  const tokens = run.usage.inputTokens + run.usage.outputTokens
  if (tokens > 0)
    out.push({
      id: 'budget-tokens',
      type: 'budget',
      metric: 'tokens',
      max: Math.ceil(tokens * 1.5),
      description: 'at most 1.5x the incident tokens',
      blocking: true,
      scope: '',
    })
  if (run.usage.costUsd !== null && run.usage.costUsd > 0)
    out.push({
      id: 'budget-cost',
      type: 'budget',
      metric: 'costUsd',
      max: Math.round(run.usage.costUsd * 1.5 * 1e6) / 1e6,
      description: 'at most 1.5x the incident cost',
      blocking: true,
      scope: '',
    })
  return out
}

function protocolOf(spans: readonly ObservableSpan[], entrySpanId: string): RegressionCase['agent']['protocol'] {
  const method = spans.find((s) => s.spanId === entrySpanId)?.attributes['a2a.method'] ?? ''
  if (!method)
    return spans.some((s) => s.spanId === entrySpanId && s.kind === 'agent' && s.attributes['a2a.agent.name'])
      ? 'a2a-1.0'
      : 'http'
  return method.includes('/') ? 'a2a-0.3' : 'a2a-1.0'
}

/**
 * Proposes a case for a trace; every assertion is evaluated against the trace itself.
 * @example proposeCase(detail.spans, { now: new Date().toISOString() }).checks
 */
export function proposeCase(spans: readonly ObservableSpan[], options: ProposeOptions): RegressionCaseProposal {
  const run = observeRun(spans, { summary: options.summary })
  const warnings: string[] = []
  if (run.trace.outcome === 'running')
    warnings.push(
      'The trace has not finished (its root span is missing or still open): the case records it as failed; ' +
        'propose it again once it has.',
    )
  const { failure, loop } = detectFailure(run, { ...DEFAULT_LIMITS, ...options.limits })
  const expected = expectedFrom(run)
  if (!run.input)
    warnings.push(
      'No captured input on the root span or first LLM call: paste the request into `input.text`, ' +
        'the case cannot be replayed without it.',
    )
  if (run.tools.some((t) => t.result.content.length === 0 && !t.result.isError))
    warnings.push(
      'Some tool results were not captured (content capture off?): their recordings answer with empty content.',
    )
  const env: RegressionCase['replay']['env'] = {}
  if (run.tools.length) env.MCP_URL = { kind: 'mcp' }
  for (const a of new Set(run.agents.map((x) => x.agent))) env[envNameForAgent(a)] = { kind: 'a2a', agent: a }
  const assertions = suggestAssertions(run, expected, loop)
  const draft: RegressionCase = RegressionCaseSchema.parse({
    schemaVersion: '1',
    id: `rc-${slug(`${run.agent} ${failure.category}`) || 'case'}-${run.traceId.slice(0, 8)}`,
    title: clip(`${run.agent || 'agent'}: ${failure.summary}`, 200),
    severity: failure.category === 'other' ? 'minor' : 'major',
    tags: [failure.category],
    createdAt: options.now,
    source: {
      traceId: run.traceId,
      rootSpanId: run.rootSpanId,
      startTime: run.startTime,
      environment: run.environment,
      spans: run.spans,
    },
    agent: {
      name: run.agent,
      service: run.service,
      release: run.releases[run.releases.length - 1] ?? '',
      protocol: protocolOf(spans, run.entrySpanId),
    },
    input: { text: run.input, metadata: {} },
    observed: { trajectory: run.steps, output: run.output, outcome: run.outcome, usage: run.usage },
    recordings: {
      tools: run.tools,
      agents: run.agents,
      llm: run.llm.map(({ spanId, ...rest }) => ({ ...rest, spanId })),
    },
    failure,
    expected: {
      trajectory: expected,
      match: {
        order: 'strict',
        extras: loop ? 'forbid' : 'allow',
        missing: 'forbid',
        kinds: ['tool_call', 'agent_delegation'],
      },
    },
    assertions,
    policy: { runs: 3, passRule: 'all', timeoutSeconds: 120 },
    replay: { onUnmatchedCall: 'error', ignorePaths: [], env },
  })
  const { rc, fields } = options.redact === false ? { rc: draft, fields: [] } : redactCase(draft)
  const checks = rc.assertions.map((a): AssertionCheck => {
    const result = evaluateAssertion(a, run, rc)
    const check: AssertionCheck = {
      assertionId: a.id,
      blocking: a.blocking,
      checkedAgainstSource: { wouldFail: !result.passed, detail: result.detail },
    }
    if (a.blocking && result.passed)
      check.warning = 'passes on the source trace: it could never have caught this incident'
    return check
  })
  // Budgets that the incident itself stays within are kept, but advisory: they guard against drift only.
  for (const a of rc.assertions) {
    const check = checks.find((c) => c.assertionId === a.id)!
    if (a.type === 'budget' && !check.checkedAgainstSource.wouldFail) {
      a.blocking = false
      check.blocking = false
      check.warning = 'never fails on the source trace (within budget): proposed as advisory'
    }
  }
  return { case: rc, checks, redaction: { applied: options.redact !== false, fields }, warnings }
}

/** Masks e-mails, keys and card numbers in every captured payload; the source span copy is ids and names only. */
function redactCase(rc: RegressionCase): { rc: RegressionCase; fields: string[] } {
  const { source, ...rest } = rc
  const { value, redacted } = redactJson(rest)
  const out = { ...value, source } as RegressionCase
  for (const [index, rec] of out.recordings.tools.entries()) {
    const prefix = `/recordings/tools/${index}`
    rec.redacted = redacted.filter((p) => p.startsWith(`${prefix}/`)).map((p) => p.slice(prefix.length))
  }
  return { rc: out, fields: redacted }
}
