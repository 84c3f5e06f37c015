import { quantileInclusive } from '../../src/detect/robust.js'
import type { BucketView, SeriesSource } from '../../src/detect/ts-baseline.js'
import { Rng } from './rng.js'

/**
 * Seeded synthetic request series, one minute at a time: Poisson arrivals with a daily cycle,
 * lognormal cost per request (tokens proportional), lognormal latency, a 2 % base error rate.
 * Injected events (labels for scoring):
 * - spike: arrival rate ×3/×5/×10 for 3–30 min (a retry storm or a loop: cost and tokens jump);
 * - level_shift: cost per request ×1.5–2 for 2–8 h (model switch, prompt bloat, price change);
 * - latency: latency ×3 for 10–60 min;
 * - errors: error rate 2 % → 25–40 % for 10–60 min.
 */
export type EventType = 'spike' | 'level_shift' | 'latency' | 'errors'
export const EVENT_TYPES: readonly EventType[] = ['spike', 'level_shift', 'latency', 'errors']

export interface InjectedEvent {
  type: EventType
  startMs: number
  endMs: number
  magnitude: number
}

export interface SeriesSpec {
  name: string
  ratePerMin: number
  seed: number
  startMs: number
  days: number
  /** Events are injected only after this time (the evaluated period). */
  eventsFromMs: number
}

const MIN = 60_000
const BUCKET = 5 * MIN
const HOUR = 60 * MIN
const DAY = 24 * HOUR

export class SyntheticSeries {
  readonly events: InjectedEvent[] = []
  private readonly cost: Float64Array
  private readonly calls: Int32Array
  private readonly errors: Int32Array
  private readonly latencies: Float64Array[]
  private readonly bucketCache = new Map<string, BucketView>()

  constructor(readonly spec: SeriesSpec) {
    const rng = new Rng(spec.seed)
    this.injectEvents(rng)
    const minutes = spec.days * 1440
    this.cost = new Float64Array(minutes)
    this.calls = new Int32Array(minutes)
    this.errors = new Int32Array(minutes)
    this.latencies = new Array<Float64Array>(minutes)
    const phase = rng.next()
    for (let m = 0; m < minutes; m++) {
      const t = spec.startMs + m * MIN
      const daily = 1 + 0.5 * Math.sin(2 * Math.PI * ((t % DAY) / DAY + phase))
      const active = this.events.filter((e) => t >= e.startMs && t < e.endMs)
      const factor = (type: EventType) => active.find((e) => e.type === type)?.magnitude ?? 1
      const n = rng.poisson(spec.ratePerMin * daily * factor('spike'))
      const errorRate = active.some((e) => e.type === 'errors') ? factor('errors') : 0.02
      const lat = new Float64Array(n)
      let cost = 0
      let errors = 0
      for (let i = 0; i < n; i++) {
        cost += rng.lognormal(0.02, 0.8) * factor('level_shift')
        lat[i] = rng.lognormal(800, 0.4) * factor('latency')
        if (rng.next() < errorRate) errors++
      }
      this.cost[m] = cost
      this.calls[m] = n
      this.errors[m] = errors
      this.latencies[m] = lat
    }
  }

  private injectEvents(rng: Rng): void {
    const { eventsFromMs, startMs, days } = this.spec
    const endMs = startMs + days * DAY
    let t = eventsFromMs + rng.int(60, 360) * MIN
    while (t < endMs - 10 * HOUR) {
      const type = rng.pick(EVENT_TYPES)
      const minutes = type === 'spike' ? rng.int(3, 30) : type === 'level_shift' ? rng.int(120, 480) : rng.int(10, 60)
      const magnitude =
        type === 'spike'
          ? rng.pick([3, 5, 10])
          : type === 'level_shift'
            ? 1.5 + rng.next() * 0.5
            : type === 'latency'
              ? 3
              : 0.25 + rng.next() * 0.15
      this.events.push({ type, startMs: t, endMs: t + minutes * MIN, magnitude })
      t += minutes * MIN + rng.int(4 * 60, 10 * 60) * MIN
    }
  }

  get firstSeenMs(): number {
    return this.spec.startMs
  }

  /** The series as `agg_5m` would show it at `nowMs` (the open bucket holds the minutes so far). */
  visibleAt(nowMs: number, widthMs: number): SeriesSource {
    return {
      projectId: 'bench',
      dimType: 'agent',
      dimValue: this.spec.name,
      firstSeenMs: this.firstSeenMs,
      bucket: (startMs) => this.view(startMs, Math.min(startMs + widthMs, nowMs)),
      windowP95: (prevMs) => this.view(prevMs, nowMs, true)?.p95 ?? Number.NaN,
    }
  }

  private view(fromMs: number, toMs: number, uncached = false): BucketView | undefined {
    const key = `${fromMs}:${toMs}`
    const cached = uncached ? undefined : this.bucketCache.get(key)
    if (cached) return cached
    const m0 = Math.max(0, Math.round((fromMs - this.spec.startMs) / MIN))
    const m1 = Math.min(this.calls.length, Math.round((toMs - this.spec.startMs) / MIN))
    let cost = 0
    let calls = 0
    let errors = 0
    const lat: number[] = []
    for (let m = m0; m < m1; m++) {
      cost += this.cost[m] as number
      calls += this.calls[m] as number
      errors += this.errors[m] as number
      for (const v of this.latencies[m] as Float64Array) lat.push(v)
    }
    if (calls === 0) return undefined
    const view = { cost, tokens: Math.round(cost * 75_000), calls, errors, p95: quantileInclusive(lat, 0.95) }
    // Only closed buckets are cached: the open one changes every minute.
    if (!uncached && (toMs - fromMs === BUCKET || toMs - fromMs === HOUR)) this.bucketCache.set(key, view)
    return view
  }
}
