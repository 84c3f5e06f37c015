import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { histogramOf } from '@sightline/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Rng } from '../../bench/anomaly/rng.js'
import { createStore, type Store } from '../../src/db/client.js'
import { migrate } from '../../src/db/migrate.js'
import { DEFAULT_DETECTOR_CONFIG, type DetectorConfig } from '../../src/detect/config.js'
import { hourlyConfig } from '../../src/detect/series-evaluator.js'
import { querySnapshots } from '../../src/db/repositories/series-snapshots.js'
import type { SeriesSnapshot } from '../../src/detect/snapshot.js'
import { chTimeSeconds } from '../../src/db/sql.js'
import { snapshotFromBuckets, type BucketView, type SeriesSource } from '../../src/detect/ts-baseline.js'
import { quantileInclusive } from '../../src/detect/robust.js'
import { parseEnv } from '../../src/env.js'
import { createLogger } from '../../src/logger.js'
import { testStoreEnv } from '../helpers/server.js'

/**
 * The benchmark computes baselines in TS; production asks ClickHouse. Same data, same numbers:
 * this test loads seeded 5-min buckets (with gaps, a late-starting series and an open bucket)
 * into `agg_5m` and compares every snapshot field (`calls` and `errors` are the rollups' units
 * and their failures).
 */
const BUCKET = 300_000
const NOW = Date.parse('2026-03-08T12:37:00Z')
const CONFIG: DetectorConfig = { ...DEFAULT_DETECTOR_CONFIG, topUsers: 100 }

interface Row extends BucketView {
  latencies: number[]
}
interface Series {
  projectId: string
  dimType: string
  dimValue: string
  buckets: Map<number, Row>
}

function generate(): Series[] {
  const rng = new Rng(42)
  const specs = [
    { projectId: 'p1', dimType: 'total', dimValue: '', rate: 20, days: 8 },
    { projectId: 'p1', dimType: 'model', dimValue: 'gpt-4o', rate: 2, days: 8 },
    { projectId: 'p1', dimType: 'user', dimValue: 'alice', rate: 0.3, days: 3.3 },
    { projectId: 'p2', dimType: 'agent', dimValue: 'planner', rate: 5, days: 5 },
  ]
  return specs.map((spec) => {
    const buckets = new Map<number, Row>()
    const start = Math.floor((NOW - spec.days * 86_400_000) / BUCKET) * BUCKET
    for (let b = start; b <= NOW; b += BUCKET) {
      const calls = rng.poisson(spec.rate)
      if (calls === 0) continue
      const latencies = Array.from({ length: calls }, () => Math.round(rng.lognormal(800, 0.5)))
      let cost = 0
      for (let i = 0; i < calls; i++) cost += Math.round(rng.lognormal(0.02, 0.8) * 1e6) / 1e6
      const errors = Math.min(calls, rng.poisson(calls * 0.05))
      buckets.set(b, {
        cost,
        tokens: calls * 1000 + rng.int(0, 500),
        calls,
        errors,
        p95: quantileInclusive(latencies, 0.95),
        latencies,
      })
    }
    return { ...spec, buckets }
  })
}

function sourceOf(series: Series, width: number): SeriesSource {
  const firstSeenMs = Math.min(...series.buckets.keys())
  const view = (startMs: number, endMs: number): BucketView | undefined => {
    const rows = [...series.buckets].filter(([b]) => b >= startMs && b < endMs).map(([, r]) => r)
    if (rows.length === 0) return undefined
    const lat = rows.flatMap((r) => r.latencies)
    const sum = (f: (r: Row) => number) => rows.reduce((n, r) => n + f(r), 0)
    return {
      cost: sum((r) => r.cost),
      tokens: sum((r) => r.tokens),
      calls: sum((r) => r.calls),
      errors: sum((r) => r.errors),
      p95: quantileInclusive(lat, 0.95),
    }
  }
  return {
    ...series,
    firstSeenMs,
    bucket: (startMs) => view(startMs, startMs + width),
    windowP95: (prevMs) => view(prevMs, prevMs + 2 * width)?.p95 ?? Number.NaN,
  }
}

let store: Store
let data: Series[]

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-baseline-'))
  store = createStore(parseEnv({ SIGHTLINE_DATA_DIR: dir, ...(await testStoreEnv(dir)) }))
  await migrate(store, createLogger('silent'))
  data = generate()
  // Rollup rows as the resolver's view writes them: units and failures, latency as log-bucket counts.
  const lines = data.flatMap((s) =>
    [...s.buckets].map(([b, r]) => {
      const h = histogramOf(r.latencies)
      return JSON.stringify({
        project_id: s.projectId,
        dim_type: s.dimType,
        dim_value: s.dimValue,
        bucket: chTimeSeconds(b),
        cost_usd: r.cost.toFixed(6),
        input_tokens: r.tokens,
        units: r.calls,
        unit_failures: r.errors,
        latency: [h.buckets, h.counts],
      })
    }),
  )
  await store.insertJsonEachRow('agg_5m', Buffer.from(lines.join('\n')), 'agg-1')
})
afterAll(async () => {
  await store?.close()
})

function expectAgree(fromSql: SeriesSnapshot, fromTs: SeriesSnapshot): void {
  expect(fromSql.firstSeenMs).toBe(fromTs.firstSeenMs)
  for (const part of ['cur', 'prev'] as const) {
    expect(fromSql[part].cost).toBeCloseTo(fromTs[part].cost, 6)
    expect({ ...fromSql[part], cost: 0 }).toEqual({ ...fromTs[part], cost: 0 })
  }
  for (const metric of ['cost', 'tokens', 'calls', 'errorRate'] as const) {
    expect(fromSql[metric].points).toBe(fromTs[metric].points)
    expect(fromSql[metric].median).toBeCloseTo(fromTs[metric].median, 6)
    expect(fromSql[metric].mad).toBeCloseTo(fromTs[metric].mad, 6)
  }
  // Latency goes through log-bucket histograms in ClickHouse (within 1 % per quantile): close, not identical.
  expect(fromSql.latencyP95.points).toBe(fromTs.latencyP95.points)
  expect(Math.abs(fromSql.latencyP95.median - fromTs.latencyP95.median) / fromTs.latencyP95.median).toBeLessThan(0.25)
}

describe('SQL baseline = TS baseline', () => {
  it.each([
    ['5-min tier, mid-bucket', NOW, CONFIG],
    ['5-min tier, on a bucket edge', NOW - 2 * 60_000, CONFIG],
    ['hourly tier', Math.floor(NOW / 3_600_000) * 3_600_000, hourlyConfig(CONFIG)],
  ])('%s', async (_name, nowMs, config) => {
    const fromSql = await querySnapshots(store, nowMs, config)
    expect(fromSql).toHaveLength(data.length)
    for (const series of data) {
      const sqlSnap = fromSql.find(
        (s) => s.projectId === series.projectId && s.dimType === series.dimType && s.dimValue === series.dimValue,
      )
      expect(sqlSnap).toBeDefined()
      expectAgree(sqlSnap!, snapshotFromBuckets(sourceOf(series, config.bucketMs), nowMs, config))
    }
  })
})
