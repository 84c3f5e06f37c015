/**
 * `pnpm bench:anomaly --fleet` judges detection on the real demo fleet instead (fleet/fleet-bench.ts).
 *
 * `pnpm bench:anomaly`: replays seeded synthetic series through the production detector (the
 * same SeriesEvaluator, rules and state machines; baselines from ts-baseline.ts, which
 * test/detect/baseline-sql.test.ts proves equal to the ClickHouse baseline SQL) and scores it
 * event by event per volume tier. The last line summarises the ≥ 5 requests/min tiers.
 */
import { DEFAULT_DETECTOR_CONFIG } from '../../src/detect/config.js'
import { hourlyConfig, SeriesEvaluator } from '../../src/detect/series-evaluator.js'
import { snapshotFromBuckets } from '../../src/detect/ts-baseline.js'
import { median } from '../../src/detect/robust.js'
import { SyntheticSeries } from './generator.js'
import { addScores, emptyScore, scoreSeries, type Alarm, type TierScore } from './score.js'

const MIN = 60_000
const DAY = 86_400_000
const START = Date.parse('2026-01-05T00:00:00Z')
const HISTORY_DAYS = 4
const EVAL_DAYS = Number(process.env.ANOMALY_BENCH_DAYS ?? 6)
const SERIES_PER_TIER = Number(process.env.ANOMALY_BENCH_SERIES ?? 6)
const SEED = Number(process.env.ANOMALY_BENCH_SEED ?? 7)
// Sweep knob: ANOMALY_BENCH_MIN_EXCESS=2 reads the "excess ≥ 2× typical" literally.
const CONFIG = {
  ...DEFAULT_DETECTOR_CONFIG,
  fast: {
    ...DEFAULT_DETECTOR_CONFIG.fast,
    minExcessRatio: Number(process.env.ANOMALY_BENCH_MIN_EXCESS ?? DEFAULT_DETECTOR_CONFIG.fast.minExcessRatio),
  },
}
const TIERS = [
  { name: '50/min', rate: 50 },
  { name: '5/min', rate: 5 },
  { name: '0.5/min', rate: 0.5 },
]

function runSeries(series: SyntheticSeries): Alarm[] {
  const config = CONFIG
  const evaluator = new SeriesEvaluator(config)
  const hourly = hourlyConfig(config)
  const open = new Map<string, Alarm>()
  const alarms: Alarm[] = []
  const evalFrom = START + HISTORY_DAYS * DAY
  const evalTo = START + (HISTORY_DAYS + EVAL_DAYS) * DAY
  for (let now = evalFrom; now < evalTo; now += MIN) {
    const events = evaluator.evaluateWindow(
      [snapshotFromBuckets(series.visibleAt(now, config.bucketMs), now, config)],
      now,
    )
    if (now % 3_600_000 === 0)
      events.push(
        ...evaluator.evaluateHour([snapshotFromBuckets(series.visibleAt(now, hourly.bucketMs), now, hourly)], now),
      )
    for (const event of events) {
      const id = event.transition.episodeId
      if (event.transition.type === 'opened') {
        const alarm = { series: series.spec.name, metric: event.metric, startMs: now, endMs: now }
        open.set(id, alarm)
        alarms.push(alarm)
      } else {
        const alarm = open.get(id)
        if (alarm) alarm.endMs = now
        if (event.transition.type === 'resolved') open.delete(id)
      }
    }
  }
  return alarms
}

function format(score: TierScore): { precision: number; recall: number; delay: number; fa: number } {
  return {
    precision: score.alarms === 0 ? 1 : score.truePositives / score.alarms,
    recall: score.events === 0 ? 1 : score.detected / score.events,
    delay: score.delaysMin.length === 0 ? Number.NaN : median(score.delaysMin),
    fa: score.falseAlarms / score.seriesDays,
  }
}

if (process.argv.includes('--fleet')) {
  const { runFleetBench } = await import('./fleet/fleet-bench.js')
  await runFleetBench()
  process.exit(0)
}

const started = Date.now()
const byTier = new Map<string, TierScore>()
const byType = new Map<string, { events: number; detected: number }>()
TIERS.forEach((tier, t) => {
  let total = emptyScore()
  for (let i = 0; i < SERIES_PER_TIER; i++) {
    const series = new SyntheticSeries({
      name: `${tier.name}#${i}`,
      ratePerMin: tier.rate,
      seed: SEED * 1000 + t * 100 + i,
      startMs: START,
      days: HISTORY_DAYS + EVAL_DAYS,
      eventsFromMs: START + HISTORY_DAYS * DAY,
    })
    const alarms = runSeries(series)
    if (process.env.ANOMALY_BENCH_DEBUG) {
      const merged = scoreSeries(alarms, series.events, EVAL_DAYS)
      const fps = alarms.filter(
        (a) => !series.events.some((e) => a.startMs >= e.startMs - 2 * MIN && a.startMs <= e.endMs + 10 * MIN),
      )
      if (fps.length > 0)
        console.log(
          series.spec.name,
          merged.falseAlarms,
          fps
            .map((a) => `${a.metric}@${new Date(a.startMs).toISOString().slice(5, 16)}-${(a.endMs - a.startMs) / MIN}m`)
            .join(' '),
        )
    }
    total = addScores(total, scoreSeries(alarms, series.events, EVAL_DAYS))
    for (const event of series.events) {
      const key = `${tier.name} ${event.type}`
      const entry = byType.get(key) ?? { events: 0, detected: 0 }
      entry.events++
      if (scoreSeries(alarms, [event], 0).detected > 0) entry.detected++
      byType.set(key, entry)
    }
  }
  byTier.set(tier.name, total)
})

console.log(
  `anomaly bench: seed=${SEED}, ${SERIES_PER_TIER} series per tier, ${HISTORY_DAYS} d history + ${EVAL_DAYS} d ` +
    `evaluated, 1 evaluation/min`,
)
console.log('tier      events  detected  alarms  TP   precision  recall  delay_p50_min  false_alarms/series-day')
for (const [name, score] of byTier) {
  const f = format(score)
  console.log(
    `${name.padEnd(9)} ${String(score.events).padStart(6)}  ${String(score.detected).padStart(8)} ` +
      ` ${String(score.alarms).padStart(6)}  ${String(score.truePositives).padStart(3)}  ` +
      ` ${f.precision.toFixed(2).padStart(9)}  ${f.recall.toFixed(2).padStart(6)} ` +
      ` ${String(Number.isNaN(f.delay) ? '-' : f.delay).padStart(13)}  ${f.fa.toFixed(2).padStart(23)}`,
  )
}
console.log('recall by event type: ' + [...byType].map(([k, v]) => `${k} ${v.detected}/${v.events}`).join(', '))
console.log(`elapsed ${((Date.now() - started) / 1000).toFixed(1)} s`)
const dense = addScores(byTier.get('50/min') ?? emptyScore(), byTier.get('5/min') ?? emptyScore())
const f = format(dense)
console.log(
  `anomaly: precision=${f.precision.toFixed(2)} recall=${f.recall.toFixed(2)} ` +
    `delay_p50_min=${Number.isNaN(f.delay) ? 'NaN' : Math.round(f.delay * 10) / 10}`,
)
