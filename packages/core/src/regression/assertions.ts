/**
 * @module regression/assertions
 * Evaluates a case's assertions against one observed run. The proposal runs the same code against
 * the source trace to tell the editor which blocking assertions could never fail.
 */
import type { BudgetMetric, CaseAssertion, RegressionCase } from '@sightline/schema'
import { canonicalJson } from '../content/canonical-json.js'
import { matchTrajectory, withoutPaths } from './match.js'
import type { ObservedRun } from './observe.js'

export interface AssertionResult {
  id: string
  type: CaseAssertion['type']
  blocking: boolean
  passed: boolean
  detail: string
}

export function budgetValue(run: ObservedRun, metric: BudgetMetric): number | null {
  const u = run.usage
  switch (metric) {
    case 'costUsd':
      return u.costUsd
    case 'tokens':
      return u.inputTokens + u.outputTokens
    case 'steps':
      return u.steps
    case 'toolCalls':
      return u.toolCalls
    case 'llmCalls':
      return u.llmCalls
    case 'latencyMs':
      return u.latencyMs
  }
}

/** Most calls of one tool with one set of arguments, e.g. `{ key: 'weather {"city":"Atlantis"}', count: 8 }`. */
export function mostRepeatedCall(
  run: ObservedRun,
  options: { tool?: string; scope?: string; ignorePaths?: readonly string[] } = {},
) {
  const counts = new Map<string, number>()
  for (const s of run.steps) {
    if (
      s.kind !== 'tool_call' ||
      (options.tool && s.name !== options.tool) ||
      (options.scope && s.agent !== options.scope)
    )
      continue
    const key = `${s.name} ${canonicalJson(JSON.stringify(withoutPaths(s.args ?? {}, options.ignorePaths ?? [])))}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  let best = { key: '', count: 0 }
  for (const [key, count] of counts) if (count > best.count) best = { key, count }
  return best
}

function check(
  a: CaseAssertion,
  run: ObservedRun,
  rc: Pick<RegressionCase, 'expected'>,
): { passed: boolean; detail: string } {
  switch (a.type) {
    case 'trajectory': {
      const r = matchTrajectory(rc.expected.trajectory, run.steps, rc.expected.match, a.scope)
      return { passed: r.passed, detail: r.detail }
    }
    case 'status':
      return {
        passed: run.outcome.status === a.equals,
        detail:
          `status ${run.outcome.status}${run.outcome.message ? ` (${run.outcome.message})` : ''}, ` +
          `expected ${a.equals}`,
      }
    case 'output': {
      const text = a.caseSensitive ? run.output : run.output.toLowerCase()
      const value = a.caseSensitive ? a.value : a.value.toLowerCase()
      const quoted = JSON.stringify(run.output.length > 200 ? `${run.output.slice(0, 200)}…` : run.output)
      if (a.op === 'regex') {
        const passed = new RegExp(a.value, a.caseSensitive ? '' : 'i').test(run.output)
        return { passed, detail: `output ${passed ? 'matches' : 'does not match'} /${a.value}/: ${quoted}` }
      }
      const contains = text.includes(value)
      const passed = a.op === 'contains' ? contains : !contains
      return {
        passed,
        detail: `output ${contains ? 'contains' : 'does not contain'} ${JSON.stringify(a.value)}: ${quoted}`,
      }
    }
    case 'max_repeated_calls': {
      const worst = mostRepeatedCall(run, { tool: a.tool, scope: a.scope, ignorePaths: a.ignorePaths })
      return {
        passed: worst.count <= a.max,
        detail: worst.count
          ? `${worst.key} called ${worst.count} time(s), at most ${a.max} allowed`
          : `no ${a.tool ?? 'tool'} calls`,
      }
    }
    case 'step_count': {
      const n = run.steps.filter(
        (s) => s.kind === a.kind && (!a.name || s.name === a.name) && (!a.scope || s.agent === a.scope),
      ).length
      const passed = (a.min === undefined || n >= a.min) && (a.max === undefined || n <= a.max)
      return {
        passed,
        detail: `${n} ${a.kind}${a.name ? ` ${a.name}` : ''} step(s); allowed ${a.min ?? 0}..${a.max ?? '∞'}`,
      }
    }
    case 'budget': {
      const value = budgetValue(run, a.metric)
      // Fail closed: an unknown cost (unpriced model) is not within budget.
      if (value === null) return { passed: false, detail: `${a.metric} unknown (unpriced model calls)` }
      return { passed: value <= a.max, detail: `${a.metric} ${round(value)} (budget ${a.max})` }
    }
    case 'no_errors': {
      const errors = run.errors.filter((e) => a.includeToolErrors || !e.isTool)
      return {
        passed: errors.length === 0,
        detail: errors.length
          ? `${errors.length} failed span(s): ${errors
              .slice(0, 3)
              .map((e) => `${e.name}${e.message ? ` (${e.message})` : ''}`)
              .join('; ')}`
          : 'no failed spans',
      }
    }
  }
}

const round = (n: number) => Math.round(n * 1e6) / 1e6

export function evaluateAssertion(
  a: CaseAssertion,
  run: ObservedRun,
  rc: Pick<RegressionCase, 'expected'>,
): AssertionResult {
  const { passed, detail } = check(a, run, rc)
  return { id: a.id, type: a.type, blocking: a.blocking, passed, detail }
}

/** All assertions; the run passes when every blocking one does. */
export function evaluateCase(
  rc: Pick<RegressionCase, 'expected' | 'assertions'>,
  run: ObservedRun,
): { passed: boolean; results: AssertionResult[] } {
  const results = rc.assertions.map((a) => evaluateAssertion(a, run, rc))
  return { passed: results.every((r) => r.passed || !r.blocking), results }
}
