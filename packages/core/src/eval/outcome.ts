/**
 * @module eval/outcome
 * Outcome evaluators: the final response (exact, contains, regex, JSON Schema), "reached the end
 * without escalation", and budgets (cost, latency, steps). Each gives 1 (pass) or 0 with a reason;
 * a check that cannot be judged (no cost known, output not JSON) fails with the reason, never passes.
 */
import type { OutcomeCheck, TraceOutcome, TraceTag } from '@sightline/schema'

/** What an outcome check reads of a trace. */
export interface OutcomeFacts {
  /** The final response (the root's output, else the last model answer). */
  output: string
  outcome: TraceOutcome
  tags: readonly TraceTag[]
  costUsd: number | null
  durationMs: number
  /** Model calls + tool calls + delegations, each counted once. */
  steps: number
}

export interface OutcomeCheckConfig {
  check: OutcomeCheck
  value?: string
  caseSensitive?: boolean
  jsonSchema?: Record<string, unknown>
  max?: number
}

/** Problems of `value` under `schema` (empty when valid); supplied by the caller (the domain stays dependency-free). */
export type JsonSchemaCheck = (schema: Record<string, unknown>, value: unknown) => string[]

export interface OutcomeResult {
  value: 0 | 1
  detail: string
}

const quote = (text: string) => JSON.stringify(text.length > 160 ? `${text.slice(0, 160)}…` : text)
const result = (passed: boolean, detail: string): OutcomeResult => ({ value: passed ? 1 : 0, detail })

/**
 * @example evaluateOutcome({ check: 'contains', value: 'refund' }, facts).value // 1 when the answer mentions a refund
 */
export function evaluateOutcome(
  config: OutcomeCheckConfig,
  facts: OutcomeFacts,
  jsonSchemaCheck?: JsonSchemaCheck,
): OutcomeResult {
  const fold = (text: string) => (config.caseSensitive ? text : text.toLowerCase())
  const expected = config.value ?? ''
  switch (config.check) {
    case 'exact': {
      const passed = fold(facts.output.trim()) === fold(expected.trim())
      return result(
        passed,
        `final response ${passed ? 'equals' : 'differs from'} ${quote(expected)}: ${quote(facts.output)}`,
      )
    }
    case 'contains': {
      const passed = fold(facts.output).includes(fold(expected))
      return result(
        passed,
        `final response ${passed ? 'contains' : 'does not contain'} ${quote(expected)}: ${quote(facts.output)}`,
      )
    }
    case 'regex': {
      const passed = new RegExp(expected, config.caseSensitive ? '' : 'i').test(facts.output)
      return result(
        passed,
        `final response ${passed ? 'matches' : 'does not match'} /${expected}/: ${quote(facts.output)}`,
      )
    }
    case 'json_schema': {
      if (!config.jsonSchema || !jsonSchemaCheck) return result(false, 'no JSON Schema to check against')
      let parsed: unknown
      try {
        parsed = JSON.parse(facts.output)
      } catch {
        return result(false, `final response is not JSON: ${quote(facts.output)}`)
      }
      const problems = jsonSchemaCheck(config.jsonSchema, parsed)
      return result(
        problems.length === 0,
        problems.length === 0
          ? 'final response satisfies the JSON Schema'
          : `final response breaks the JSON Schema: ${problems.slice(0, 3).join('; ')}`,
      )
    }
    case 'no_escalation': {
      const escalated = facts.tags.includes('human-escalation')
      const finished = facts.outcome === 'ok' || facts.outcome === 'recovered'
      const passed = finished && !escalated
      const why = escalated
        ? 'handed off to a human'
        : facts.outcome === 'failed'
          ? 'the run failed'
          : facts.outcome === 'running'
            ? 'the run has not finished'
            : 'reached the end without escalation'
      return result(passed, why)
    }
    case 'cost_budget':
      if (facts.costUsd === null) return result(false, 'cost unknown (unpriced model calls)')
      return budget('cost', facts.costUsd, config.max, (v) => `$${v.toFixed(6)}`)
    case 'latency_budget':
      return budget('latency', facts.durationMs, config.max, (v) => `${Math.round(v)} ms`)
    case 'step_budget':
      return budget('steps', facts.steps, config.max, String)
  }
}

function budget(what: string, actual: number, max: number | undefined, format: (v: number) => string): OutcomeResult {
  if (max === undefined) return result(false, `no ${what} budget set`)
  return result(actual <= max, `${what} ${format(actual)} (budget ${format(max)})`)
}
