import { histogramQuantile, type Histogram } from '@sightline/core'
import type { Verdict } from './alert-state.js'
import type { DetectorConfig } from './config.js'
import { binomialUpperTail, mad, MAD_TO_SIGMA, median, type Baseline } from './robust.js'
import { judgeWindow, type SeriesMetric, type Signal } from './rules.js'

/**
 * The cold-start tier's decisions, pure: a young series' last few complete minutes against its own
 * earlier minutes. Cost, tokens and error rate go through the fast tier's own rule (`judgeWindow`:
 * robust z, minimum excess ratio, absolute floor, hysteresis), fed with a baseline expressed per
 * 5 minutes like the seasonal one; what differs is where the baseline comes from and its noise:
 * a few minutes cannot give a trustworthy MAD, so the scale is floored by the compound-Poisson
 * noise of the series (√Σ per-trace value², per minute), which needs no history at all.
 */
export interface MinuteRow {
  minuteMs: number
  cost: number
  /** Σ of the squared per-trace contributions: the compound-Poisson variance of the minute's sum. */
  costSq: number
  tokens: number
  tokensSq: number
  units: number
  failures: number
  /** Traces the value took part in, and those in which it failed (a retry storm in one trace counts once). */
  traces: number
  failedTraces: number
  latency: Histogram
}

export interface MinuteSeries {
  projectId: string
  dimType: string
  dimValue: string
  /** Start of the series' first trace (ms), when it falls in the scanned range. */
  firstSeenMs: number
  /** Minutes with data, any order; minutes without a row are known zeros. */
  minutes: MinuteRow[]
}

/** A minute of the baseline, with the share of it the series existed for (its first minute is partial). */
interface Slot {
  row: MinuteRow
  coverage: number
}

export interface ColdSplit {
  window: MinuteRow[]
  baseline: Slot[]
  windowStartMs: number
}

const MIN = 60_000
const empty = (minuteMs: number): MinuteRow => ({
  minuteMs,
  cost: 0,
  costSq: 0,
  tokens: 0,
  tokensSq: 0,
  units: 0,
  failures: 0,
  traces: 0,
  failedTraces: 0,
  latency: { buckets: [], counts: [] },
})

/**
 * Window = the last `windowMinutes` complete minutes (`shrink`: fewer while the series is younger
 * than window + minimum baseline); baseline = the complete minutes before it within the lookback.
 * While an episode is pending or open (`freezeAtMs`), the baseline stops there, so a spike does not
 * become its own baseline; if too little is left before that point, the freeze is dropped and the
 * new level becomes the norm (a lasting shift ends after the lookback).
 */
export function splitMinutes(
  series: MinuteSeries,
  nowMs: number,
  config: DetectorConfig,
  windowMinutes: number,
  shrink: boolean,
  freezeAtMs?: number,
): ColdSplit | undefined {
  const rules = config.coldStart
  const current = Math.floor(nowMs / MIN) * MIN
  const earliest = current - rules.lookbackMinutes * MIN
  const firstMinute = Math.floor(series.firstSeenMs / MIN) * MIN
  const startsInside = Number.isFinite(series.firstSeenMs) && firstMinute > earliest
  let start = startsInside ? firstMinute : earliest
  let firstCoverage = startsInside ? (firstMinute + MIN - series.firstSeenMs) / MIN : 1
  if (firstCoverage < 0.5) {
    start += MIN
    firstCoverage = 1
  }
  const byMinute = new Map(series.minutes.map((m) => [m.minuteMs, m]))
  const slots: Slot[] = []
  for (let t = start; t < current; t += MIN)
    slots.push({ row: byMinute.get(t) ?? empty(t), coverage: t === start ? firstCoverage : 1 })
  const fits = slots.length - rules.minBaselineMinutes
  if (fits < 1 || (!shrink && fits < windowMinutes)) return undefined
  const w = Math.min(windowMinutes, fits)
  const window = slots.slice(-w).map((s) => s.row)
  const before = slots.slice(0, -w)
  const frozen = freezeAtMs === undefined ? before : before.filter((s) => s.row.minuteMs < freezeAtMs)
  return {
    window,
    baseline: frozen.length >= rules.minBaselineMinutes ? frozen : before,
    windowStartMs: window[0]!.minuteMs,
  }
}

export interface ColdJudgement {
  verdict: Verdict<Signal>
  /** Start of the earliest breaching window (where the baseline freezes), and its newest minute (the onset). */
  windowStartMs: number
  onsetMs: number
}

/** Every configured window of one series and metric: breach if any breaches, clear only if all are clear. */
export function judgeSeriesMinutes(
  series: MinuteSeries,
  metric: SeriesMetric,
  nowMs: number,
  config: DetectorConfig,
  freezeAtMs?: number,
  minLatencyExcessMs = 0,
): ColdJudgement | undefined {
  const sizes = [...config.coldStart.windowsMinutes].sort((a, b) => a - b)
  const judged = sizes.flatMap((size, i) => {
    const split = splitMinutes(series, nowMs, config, size, i === 0, freezeAtMs)
    return split ? [{ split, verdict: judgeColdStart(split, metric, config, minLatencyExcessMs) }] : []
  })
  if (judged.length === 0) return undefined
  const breaching = judged.filter((j) => j.verdict.breach)
  const speaker = [...(breaching.length > 0 ? breaching : judged)].sort(
    (a, b) => b.verdict.payload.score - a.verdict.payload.score,
  )[0]!
  const first = breaching.sort((a, b) => a.split.windowStartMs - b.split.windowStartMs)[0] ?? speaker
  return {
    verdict: {
      breach: breaching.length > 0,
      clear: judged.every((j) => j.verdict.clear),
      payload: speaker.verdict.payload,
    },
    windowStartMs: first.split.windowStartMs,
    onsetMs: first.split.window[first.split.window.length - 1]!.minuteMs,
  }
}

const perMinute = (slots: readonly Slot[], read: (row: MinuteRow) => number) =>
  slots.map((s) => read(s.row) / s.coverage)
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0)

/** `minLatencyExcessMs`: the relevance floor of a call's latency (see DetectorConfig.latencyRelevance). */
export function judgeColdStart(
  split: ColdSplit,
  metric: SeriesMetric,
  config: DetectorConfig,
  minLatencyExcessMs = 0,
): Verdict<Signal> {
  if (metric === 'latency_p95') return judgeLatency(split, config, minLatencyExcessMs)
  const w = split.window.length
  const toFiveMin = 5 / w
  const unitsPerMinute = perMinute(split.baseline, (r) => r.units)
  const typicalRequests = 5 * median(unitsPerMinute)
  const requests = sum(split.window.map((r) => r.units)) * toFiveMin
  if (metric === 'error_rate') {
    // Judged per trace: the share of the traces it took part in where it failed at least once.
    const traces = sum(split.window.map((r) => r.traces))
    const busy = split.baseline.filter((s) => s.row.traces > 0)
    const rates = busy.map((s) => s.row.failedTraces / s.row.traces)
    const pooled = pooledFailureRate(busy.map((s) => s.row))
    const baseline: Baseline = { median: median(rates), mad: mad(rates), points: rates.length }
    const observed = traces > 0 ? sum(split.window.map((r) => r.failedTraces)) / traces : 0
    const typicalTraces = 5 * median(perMinute(split.baseline, (r) => r.traces))
    const errorConfig = { ...config, errorTailProbability: config.coldStart.errorTailProbability }
    return judgeWindow(
      { metric, observed, requests: traces, baseline, typicalRequests: typicalTraces, baselineRate: pooled },
      errorConfig,
    )
  }
  const read = metric === 'cost' ? (r: MinuteRow) => r.cost : (r: MinuteRow) => r.tokens
  const readSq = metric === 'cost' ? (r: MinuteRow) => r.costSq : (r: MinuteRow) => r.tokensSq
  const values = perMinute(split.baseline, read)
  const m = median(values)
  // Per-minute noise: the spread the minutes showed, or what the traces' own sizes imply (√Σc²).
  const noise = Math.max(
    MAD_TO_SIGMA * mad(values, m),
    Math.sqrt(sum(perMinute(split.baseline, readSq)) / split.baseline.length),
  )
  // The window's sum, its expectation and its noise, all per 5 minutes.
  const observed = sum(split.window.map(read)) * toFiveMin
  const scale = noise * Math.sqrt(w) * toFiveMin
  const baseline: Baseline = { median: 5 * m, mad: scale / MAD_TO_SIGMA, points: values.length }
  return judgeWindow({ metric, observed, requests, baseline, typicalRequests }, config)
}

/**
 * The baseline's share of failing traces, pooled over its minutes, without the minutes that are
 * themselves bursts (improbable at the overall rate, P < 1 %): an earlier burst in the baseline (a
 * recurring incident) would otherwise raise the rate a new burst is tested against. Normal minutes
 * all stay, so a short baseline is not biased low the way dropping its worst minutes would.
 */
export function pooledFailureRate(minutes: ReadonlyArray<Pick<MinuteRow, 'traces' | 'failedTraces'>>): number {
  const rate = (rows: typeof minutes) =>
    sum(rows.map((m) => m.failedTraces)) / Math.max(1, sum(rows.map((m) => m.traces)))
  const overall = rate(minutes)
  const calm = minutes.filter((m) => binomialUpperTail(m.failedTraces, m.traces, overall) >= 0.01)
  return calm.length >= minutes.length / 2 ? rate(calm) : overall
}

function mergeHistograms(histograms: readonly Histogram[]): Histogram {
  const counts = new Map<number, number>()
  for (const h of histograms) h.buckets.forEach((b, i) => counts.set(b, (counts.get(b) ?? 0) + (h.counts[i] ?? 0)))
  const buckets = [...counts.keys()].sort((a, b) => a - b)
  return { buckets, counts: buckets.map((b) => counts.get(b)!) }
}

const countOf = (h: Histogram) => h.counts.reduce((n, c) => n + Math.max(0, c), 0)

/** The bucket holding the q-quantile (nearest rank, as `histogramQuantile` reads it). */
function quantileBucket(h: Histogram, q: number): number {
  const rank = Math.max(1, Math.ceil(q * countOf(h)))
  let seen = 0
  for (let i = 0; i < h.buckets.length; i++) {
    seen += Math.max(0, h.counts[i] ?? 0)
    if (seen >= rank) return h.buckets[i]!
  }
  return Number.POSITIVE_INFINITY
}

/**
 * Latency: the window's p95 against the baseline's pooled p95. Under the baseline, 5 % of requests
 * fall above its p95; the window breaches when its share above it is that improbable (binomial
 * tail), its p95 is `latencyMinRatio` × the baseline's and the difference clears the latency floor.
 */
function judgeLatency(split: ColdSplit, config: DetectorConfig, minExcessMs: number): Verdict<Signal> {
  const base = mergeHistograms(split.baseline.map((s) => s.row.latency))
  const win = mergeHistograms(split.window.map((r) => r.latency))
  const expected = histogramQuantile(base, 0.95)
  const observed = histogramQuantile(win, 0.95)
  const quiet = {
    breach: false,
    clear: true,
    payload: { observed: observed ?? 0, expected: expected ?? 0, score: 0, severity: 'warning' as const },
  }
  if (expected === null || observed === null) return quiet
  const n = countOf(win)
  const threshold = quantileBucket(base, 0.95)
  const above = win.buckets.reduce((k, b, i) => (b > threshold ? k + Math.max(0, win.counts[i] ?? 0) : k), 0)
  const tail = binomialUpperTail(above, n, 0.05)
  const rules = config.coldStart
  const typical = 5 * median(perMinute(split.baseline, (r) => r.units))
  const eligible =
    n >= config.minRequestsLatency &&
    countOf(base) >= 3 * config.minRequestsLatency &&
    typical >= config.fast.minTypicalCount
  const breach =
    eligible &&
    tail < rules.latencyTailProbability &&
    observed >= rules.latencyMinRatio * expected &&
    observed - expected >= Math.max(config.floors.latencyMs, minExcessMs)
  const clear = tail > 0.01 || observed < expected * (1 + (rules.latencyMinRatio - 1) / 2)
  const score = Math.round(((above - 0.05 * n) / Math.sqrt(Math.max(n, 1) * 0.05 * 0.95)) * 100) / 100
  return {
    breach,
    clear,
    payload: { observed, expected, score, severity: observed >= 3 * expected ? 'critical' : 'warning' },
  }
}
