import { histogramOf } from '@sightline/core'
import { describe, expect, it } from 'vitest'
import {
  judgeColdStart,
  judgeSeriesMinutes,
  pooledFailureRate,
  splitMinutes,
  type MinuteRow,
  type MinuteSeries,
} from '../../src/detect/cold-start-rules.js'
import { ColdStartEvaluator } from '../../src/detect/cold-start.js'
import { DEFAULT_DETECTOR_CONFIG as C } from '../../src/detect/config.js'
import { Rng } from '../../bench/anomaly/rng.js'

const MIN = 60_000
const T0 = Date.parse('2026-03-10T12:00:00Z')

interface Traffic {
  traces: number
  costEach: number
  failShare?: number
  latencyMs?: number
}

/** One minute of `traces` traces: cost lognormal around `costEach`, a share failing, latencies around `latencyMs`. */
function minute(rng: Rng, minuteMs: number, t: Traffic): MinuteRow {
  const n = rng.poisson(t.traces)
  const costs = Array.from({ length: n }, () => rng.lognormal(t.costEach, 0.6))
  const failed = Array.from({ length: n }, () => rng.next() < (t.failShare ?? 0.05)).filter(Boolean).length
  const durations = Array.from({ length: n }, () => rng.lognormal(t.latencyMs ?? 2000, 0.3))
  return {
    minuteMs,
    cost: costs.reduce((a, b) => a + b, 0),
    costSq: costs.reduce((a, b) => a + b * b, 0),
    tokens: costs.reduce((a, b) => a + b * 1e5, 0),
    tokensSq: costs.reduce((a, b) => a + (b * 1e5) ** 2, 0),
    units: n,
    failures: failed,
    traces: n,
    failedTraces: failed,
    latency: histogramOf(durations),
  }
}

/** A series that started at T0 with `traffic(minuteIndex)`, known up to (not including) minute `until`. */
function series(seed: number, until: number, traffic: (i: number) => Traffic, firstSeenMs = T0): MinuteSeries {
  const rng = new Rng(seed)
  return {
    projectId: 'p',
    dimType: 'total',
    dimValue: '',
    firstSeenMs,
    minutes: Array.from({ length: until }, (_, i) => minute(rng, T0 + i * MIN, traffic(i))),
  }
}

const steady: Traffic = { traces: 30, costEach: 0.003 }
const spike =
  (from: number, to: number, factor = 4) =>
  (i: number): Traffic =>
    i >= from && i < to ? { traces: 30, costEach: 0.003 * factor } : steady

describe('cold-start windows', () => {
  it('waits for a minimum baseline, shrinks the short window while young, leaves the long one until it fits', () => {
    const s = series(1, 3, () => steady)
    expect(splitMinutes(s, T0 + 2 * MIN + 1, C, 2, true)).toBeUndefined() // 2 complete minutes: no window yet
    const young = splitMinutes(s, T0 + 3 * MIN + 1, C, 2, true)!
    expect(young.window.map((m) => m.minuteMs)).toEqual([T0 + 2 * MIN])
    expect(young.baseline).toHaveLength(2)
    expect(splitMinutes(s, T0 + 3 * MIN + 1, C, 5, false)).toBeUndefined()
  })

  it('pro-rates a partial first minute and drops one shorter than half a minute', () => {
    const late = series(2, 6, () => steady, T0 + 45_000)
    const split = splitMinutes(late, T0 + 6 * MIN, C, 2, true)!
    expect(split.baseline[0]!.row.minuteMs).toBe(T0 + MIN)
    const early = series(2, 6, () => steady, T0 + 20_000)
    expect(splitMinutes(early, T0 + 6 * MIN, C, 2, true)!.baseline[0]).toMatchObject({ coverage: 40 / 60 })
  })

  it('freezes the baseline before an open episode, and lets go of it when too little is left', () => {
    const s = series(3, 20, () => steady)
    const frozen = splitMinutes(s, T0 + 20 * MIN, C, 2, true, T0 + 10 * MIN)!
    expect(Math.max(...frozen.baseline.map((b) => b.row.minuteMs))).toBe(T0 + 9 * MIN)
    const tooLittle = splitMinutes(s, T0 + 20 * MIN, C, 2, true, T0 + MIN)!
    expect(tooLittle.baseline).toHaveLength(18)
  })
})

describe('cold-start rules', () => {
  it('sees a 4× cost spike after two minutes of baseline, and nothing in steady traffic', () => {
    const s = series(4, 4, spike(2, 9))
    expect(judgeColdStart(splitMinutes(s, T0 + 4 * MIN, C, 2, true)!, 'cost', C).breach).toBe(true)
    let falseBreaches = 0
    for (let seed = 10; seed < 40; seed++) {
      const quiet = series(seed, 30, () => steady)
      for (let t = 4; t <= 30; t++)
        if (judgeSeriesMinutes(quiet, 'cost', T0 + t * MIN, C)?.verdict.breach) falseBreaches++
    }
    expect(falseBreaches).toBeLessThanOrEqual(2)
  })

  it("needs the fast tier's minimum excess: a busy series at 1.6× is not an anomaly", () => {
    const s = series(5, 12, spike(8, 12, 1.6))
    expect(judgeSeriesMinutes(s, 'cost', T0 + 12 * MIN, C)!.verdict.breach).toBe(false)
  })

  it('leaves sparse series alone (too few traces per minute to judge)', () => {
    const sparse = series(6, 12, (i) => ({ traces: 0.4, costEach: i >= 9 ? 0.05 : 0.003 }))
    expect(judgeSeriesMinutes(sparse, 'cost', T0 + 12 * MIN, C)!.verdict.breach).toBe(false)
  })

  it('catches a 3-minute burst of failing traces in the longer window, and not a normal failure share', () => {
    const burst = series(7, 14, (i) => ({ ...steady, failShare: i >= 9 && i < 12 ? 0.33 : 0.08 }))
    const judged = [11, 12, 13, 14].map((t) => judgeSeriesMinutes(burst, 'error_rate', T0 + t * MIN, C)!.verdict.breach)
    expect(judged.filter(Boolean).length).toBeGreaterThanOrEqual(2)
    const calm = series(8, 30, () => ({ ...steady, failShare: 0.08 }))
    expect(
      [10, 15, 20, 25, 30].some((t) => judgeSeriesMinutes(calm, 'error_rate', T0 + t * MIN, C)!.verdict.breach),
    ).toBe(false)
  })

  it('pools the baseline failure share without earlier bursts, and without biasing a short baseline low', () => {
    const calm = [3, 2, 4, 1, 3, 2, 5, 3, 2, 3].map((failedTraces) => ({ traces: 30, failedTraces }))
    expect(pooledFailureRate(calm)).toBeCloseTo(28 / 300, 10)
    const withBursts = [...calm, { traces: 30, failedTraces: 11 }, { traces: 30, failedTraces: 10 }]
    expect(pooledFailureRate(withBursts)).toBeCloseTo(28 / 300, 10)
  })

  it('latency of a call must also move the runs it is part of (the relevance floor)', () => {
    const tool = {
      ...series(13, 10, (i) => ({ ...steady, latencyMs: i >= 7 ? 300 : 40 })),
      dimType: 'tool',
      dimValue: 'calculator',
    }
    expect(judgeSeriesMinutes(tool, 'latency_p95', T0 + 10 * MIN, C)!.verdict.breach).toBe(true)
    // Runs of 10 s: 5 % of them is 500 ms, more than the tool's rise.
    expect(judgeSeriesMinutes(tool, 'latency_p95', T0 + 10 * MIN, C, undefined, 500)!.verdict.breach).toBe(false)
    const evaluator = new ColdStartEvaluator(C)
    const events = [9, 10, 11].flatMap((t) =>
      evaluator.evaluate(
        [{ ...tool, minutes: tool.minutes.filter((m) => m.minuteMs < T0 + t * MIN) }],
        T0 + t * MIN,
        () => 'all',
        new Map([['p', 10_000]]),
      ),
    )
    expect(events.filter((e) => e.metric === 'latency_p95')).toEqual([])
  })

  it('latency: breaches when most of the window is slower than the baseline p95, with the ratio and floor', () => {
    const slow = series(9, 10, (i) => ({ ...steady, latencyMs: i >= 7 ? 5000 : 2000 }))
    expect(judgeSeriesMinutes(slow, 'latency_p95', T0 + 10 * MIN, C)!.verdict).toMatchObject({ breach: true })
    const same = series(9, 10, () => steady)
    expect(judgeSeriesMinutes(same, 'latency_p95', T0 + 10 * MIN, C)!.verdict).toMatchObject({
      breach: false,
      clear: true,
    })
  })
})

describe('ColdStartEvaluator', () => {
  it('opens one episode per series and metric after two breaching minutes, from the spike; resolves after it', () => {
    const evaluator = new ColdStartEvaluator(C)
    const full = series(11, 30, spike(10, 15))
    const opened: number[] = []
    const resolved: number[] = []
    for (let t = 3; t <= 30; t++) {
      const known = { ...full, minutes: full.minutes.filter((m) => m.minuteMs < T0 + t * MIN) }
      for (const e of evaluator.evaluate([known], T0 + t * MIN)) {
        if (e.metric !== 'cost') continue
        if (e.transition.type === 'opened') {
          opened.push(t)
          expect(e.onsetMs).toBe(T0 + 10 * MIN)
          expect(e.tier).toBe('coldstart')
        }
        if (e.transition.type === 'resolved') resolved.push(t)
      }
    }
    expect(opened).toEqual([12])
    expect(resolved).toHaveLength(1)
    expect(resolved[0]).toBeGreaterThan(15)
  })

  it('judges only the error rate of a series outside its scope, but follows an open episode to its end', () => {
    const evaluator = new ColdStartEvaluator(C)
    const full = series(12, 20, spike(10, 20))
    const metrics = new Set<string>()
    for (let t = 3; t <= 20; t++) {
      const known = { ...full, minutes: full.minutes.filter((m) => m.minuteMs < T0 + t * MIN) }
      for (const e of evaluator.evaluate([known], T0 + t * MIN, () => 'error_rate')) metrics.add(e.metric)
    }
    expect(metrics.has('cost')).toBe(false)
  })
})
