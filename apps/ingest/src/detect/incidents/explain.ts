import { histogramQuantile } from '@sightline/core'
import type { AnomalyKind, AnomalyMetric, IncidentFamily, IncidentScope } from '@sightline/schema'
import type { BreakdownRow, BreakdownSide, MinuteTotals } from '../../db/repositories/detection.js'

/**
 * An incident's title and its one line with the numbers, e.g. "cost per trace 4.1× baseline since
 * 21:20 UTC, driven by claude-opus-4 in planner". Pure: series incidents are explained from a
 * breakdown of the rollups over the incident's window and the hour before it (the driver is the
 * model, agent or tool whose own numbers moved most); trace incidents from their findings.
 */
interface LeadFinding {
  kind: AnomalyKind
  dimension: string
  value: string
  metric: AnomalyMetric
  observed: number
  expected: number
  summary: string
}

export interface ExplainInput {
  family: IncidentFamily
  families: readonly IncidentFamily[]
  lead: LeadFinding
  firstSeenMs: number
  traceCount: number
  scope: IncidentScope
  /**
   * Series families: the breakdown over [window start, now] vs the baseline before it, and the
   * project's traffic per minute over that baseline (for robust per-trace and traffic baselines).
   */
  breakdown?: {
    rows: readonly BreakdownRow[]
    windowFromMs: number
    windowToMs: number
    baselineMinutes?: readonly MinuteTotals[]
  }
  /** Trace families: the largest finding (most calls of a loop, most failed calls…). */
  peak?: number
}

export interface Explanation {
  title: string
  explanation: string
  /** What the breakdown named (merged into the incident's scope). */
  driver: Partial<IncidentScope>
}

const TITLES: Record<IncidentFamily, string> = {
  cost: 'Cost spike',
  latency: 'Latency spike',
  errors: 'Error spike',
  release_latency: 'Slow release',
  loop: 'Tool loop',
  tool_errors: 'Tool errors',
  unfinished: 'Agents not returning',
  outlier: 'Unusual traces',
  score_drop: 'Score drop',
}

const FAMILY_LABELS: Record<IncidentFamily, string> = {
  cost: 'cost',
  latency: 'latency',
  errors: 'error rate',
  release_latency: 'release latency',
  loop: 'tool loops',
  tool_errors: 'tool errors',
  unfinished: 'unfinished agents',
  outlier: 'outlier traces',
  score_drop: 'evaluation scores',
}

const hhmm = (ms: number) => `${new Date(ms).toISOString().slice(11, 16)} UTC`
const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.POSITIVE_INFINITY)
const fmtRatio = (r: number) => (!Number.isFinite(r) ? 'far above' : r >= 10 ? `${Math.round(r)}×` : `${r.toFixed(1)}×`)
const fmtMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`)
const fmtPct = (rate: number) => `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)} %`
const fmtUsd = (usd: number) => (usd >= 1 ? `$${usd.toFixed(2)}` : `$${usd.toPrecision(2)}`)
const where = (lead: LeadFinding) =>
  lead.dimension === 'total' || lead.dimension === 'trace' ? '' : ` of ${lead.dimension} ${lead.value}`
const p95 = (side: BreakdownSide) => histogramQuantile(side.latency, 0.95) ?? Number.NaN

export function explainIncident(input: ExplainInput): Explanation {
  const since = `since ${hhmm(input.firstSeenMs)}`
  const title = input.family === 'cost' && input.lead.kind === 'level_shift' ? 'Cost increase' : TITLES[input.family]
  const also = input.families.filter((f) => f !== input.family).map((f) => FAMILY_LABELS[f])
  const tail = also.length > 0 ? `; ${also.join(' and ')} up too` : ''
  const { scope, lead } = input
  switch (input.family) {
    case 'cost':
    case 'latency':
    case 'errors': {
      const { text, driver } = explainSeries(input, since)
      return { title, explanation: text + tail, driver }
    }
    case 'release_latency':
      return { title, explanation: `${lead.summary} — ${since}`, driver: {} }
    case 'loop':
      return {
        title,
        explanation:
          `${plural(input.traceCount, 'trace')} looped on ` +
          `tool ${scope.tool}${scope.agent ? ` in ${scope.agent}` : ''} (up to ${input.peak ?? lead.observed} ` +
          `identical calls) ${since}`,
        driver: {},
      }
    case 'tool_errors':
      return {
        title,
        explanation:
          `${plural(input.traceCount, 'trace')} with ${input.peak ?? lead.observed} or more failed tool ` +
          `calls (${lead.value}) ${since}`,
        driver: {},
      }
    case 'unfinished':
      return {
        title,
        explanation:
          `${plural(input.traceCount, 'run')} of agent ${scope.agent || '(unknown)'} did not return or ` +
          `timed out ${since}`,
        driver: {},
      }
    case 'score_drop':
      return { title, explanation: `${lead.summary} — ${since}`, driver: {} }
    case 'outlier': {
      const money = lead.metric === 'trace_cost'
      const value = (v: number) => (money ? fmtUsd(v) : String(Math.round(v)))
      const what = lead.metric === 'spans_per_trace' ? 'spans' : money ? 'cost' : 'tokens'
      return {
        title,
        explanation:
          `${plural(input.traceCount, 'trace')} of agent ${scope.agent} far above its usual ${what} (up ` +
          `to ${value(input.peak ?? lead.observed)} vs a median of ${value(lead.expected)}) ${since}`,
        driver: {},
      }
    }
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

function explainSeries(input: ExplainInput, since: string): { text: string; driver: Partial<IncidentScope> } {
  const { lead } = input
  const b = input.breakdown
  const rows = b?.rows ?? []
  const total = rows.find((r) => r.dimType === 'total')
  const windowMin = b ? Math.max(1, (b.windowToMs - b.windowFromMs) / 60_000) : 1
  const baselineMin =
    b && total && total.baselineFirstMs > 0 ? Math.max(1, (b.windowFromMs - total.baselineFirstMs) / 60_000) : 0
  const rate = (side: 'window' | 'baseline', r: BreakdownRow, read: (s: BreakdownSide) => number) =>
    side === 'window' ? read(r.window) / windowMin : baselineMin > 0 ? read(r.baseline) / baselineMin : 0
  /** The value of `dimType` whose own rate of `read` grew most, if it carries ≥ 30 % of the total growth. */
  const topExcess = (dimType: string, read: (s: BreakdownSide) => number): string | undefined => {
    if (!total) return undefined
    const excessOf = (r: BreakdownRow) => rate('window', r, read) - rate('baseline', r, read)
    const best = rows
      .filter((r) => r.dimType === dimType && r.dimValue !== '')
      .sort((x, y) => excessOf(y) - excessOf(x))[0]
    return best && excessOf(best) > 0 && excessOf(best) >= 0.3 * excessOf(total) ? best.dimValue : undefined
  }
  if (input.family === 'cost') {
    const read = lead.metric === 'tokens' ? (s: BreakdownSide) => s.tokens : (s: BreakdownSide) => s.cost
    const model = topExcess('model', read)
    const agent = topExcess('agent', read)
    const driven =
      model && agent
        ? `, driven by ${model} in ${agent}`
        : model
          ? `, driven by ${model}`
          : agent
            ? `, driven by agent ${agent}`
            : ''
    const what = lead.metric === 'tokens' ? 'tokens' : 'cost'
    if (total && total.window.traces > 0 && total.baseline.traces > 0 && baselineMin > 0) {
      // Medians over the baseline's minutes when there are enough of them: an earlier spike in the
      // same hour would otherwise raise the baseline the current one is compared with.
      const minutes = (b?.baselineMinutes ?? []).filter((m) => m.traces >= 3)
      const usualPerTrace =
        minutes.length >= 5
          ? median(minutes.map((m) => (lead.metric === 'tokens' ? m.tokens : m.cost) / m.traces))
          : read(total.baseline) / total.baseline.traces
      const usualTraffic =
        minutes.length >= 5 ? median(minutes.map((m) => m.traces)) : rate('baseline', total, (s) => s.traces)
      const perTrace = ratio(read(total.window) / total.window.traces, usualPerTrace)
      const traffic = ratio(
        rate('window', total, (s) => s.traces),
        usualTraffic,
      )
      // Say which moved: what each trace costs, how many traces there are, or both.
      const head =
        traffic < 1.5
          ? `${what} per trace ${fmtRatio(perTrace)} baseline`
          : perTrace < 1.5
            ? `${what} ${fmtRatio(perTrace * traffic)} baseline from traffic ${fmtRatio(traffic)} (${what} per trace ` +
              `unchanged)`
            : `${what} per trace ${fmtRatio(perTrace)} baseline with traffic ${fmtRatio(traffic)}`
      return { text: `${head} ${since}${driven}`, driver: { ...(model ? { model } : {}), ...(agent ? { agent } : {}) } }
    }
    return {
      text: `${what}${where(lead)} ${fmtRatio(ratio(lead.observed, lead.expected))} the usual ${since}${driven}`,
      driver: { ...(model ? { model } : {}), ...(agent ? { agent } : {}) },
    }
  }
  if (input.family === 'latency') {
    const head =
      `p95 latency${where(lead)} ${fmtRatio(ratio(lead.observed, lead.expected))} baseline ` +
      `(${fmtMs(lead.observed)} vs ${fmtMs(lead.expected)}) ${since}`
    const candidates = rows
      .filter(
        (r) =>
          (r.dimType === 'tool' || r.dimType === 'agent' || r.dimType === 'model') &&
          r.dimValue !== '' &&
          r.window.units >= 10 &&
          r.baseline.units >= 10,
      )
      .map((r) => ({ r, w: p95(r.window), base: p95(r.baseline) }))
      .filter((c) => c.w >= 1.5 * c.base && !(c.r.dimType === lead.dimension && c.r.dimValue === lead.value))
      .sort((x, y) => ratio(y.w, y.base) - ratio(x.w, x.base))
    const top = candidates[0]
    const driven = top ? `, driven by ${top.r.dimType} ${top.r.dimValue} (${fmtMs(top.w)} vs ${fmtMs(top.base)})` : ''
    return { text: head + driven, driver: top ? { [top.r.dimType]: top.r.dimValue } : {} }
  }
  const failures = (s: BreakdownSide) => s.failures
  const tool = topExcess('tool', failures)
  const agent = tool ? undefined : topExcess('agent', failures)
  const driven = tool ? `, mostly tool ${tool}` : agent ? `, mostly agent ${agent}` : ''
  return {
    text: `error rate${where(lead)} ${fmtPct(lead.observed)} vs ${fmtPct(lead.expected)} baseline ${since}${driven}`,
    driver: { ...(tool ? { tool } : {}), ...(agent ? { agent } : {}) },
  }
}
