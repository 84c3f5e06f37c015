import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ListIncidentsResponse } from '@sightline/schema'
import { Rng } from '../../bench/anomaly/rng.js'
import { minuteSeries, seriesKey } from '../../src/db/repositories/detection.js'
import { getJson, startTestServer, type TestServer } from '../helpers/server.js'
import { agentTrace, traceId } from './rows.js'

/**
 * A fresh install: 14 minutes of traffic (10 traces a minute, one tool failing now and then), then
 * the cost per trace quadruples. No series has a day of history, so only the cold-start tier can
 * see it: its minute query must add up what the traces hold, and the spike must become an incident
 * within minutes.
 */
const MIN = 60_000
const T0 = Date.parse('2026-03-10T12:00:00Z')
const SPIKE_MINUTE = 14

let server: TestServer
const expected = new Map<number, { cost: number; costSq: number; units: number; failedTraces: number }>()

beforeAll(async () => {
  server = await startTestServer({ SIGHTLINE_ANOMALY_INTERVAL_MS: '0' })
  const rng = new Rng(5)
  const rows = []
  let n = 1
  for (let minute = 0; minute < 20; minute++) {
    const sums = { cost: 0, costSq: 0, units: 0, failedTraces: 0 }
    for (let i = 0; i < 10; i++) {
      const costUsd = Math.round(rng.lognormal(minute >= SPIKE_MINUTE ? 0.08 : 0.02, 0.4) * 1e6) / 1e6
      const failing = rng.next() < 0.1
      rows.push(
        ...agentTrace({
          n: n++,
          startMs: T0 + minute * MIN + i * 5_000,
          costUsd,
          tools: [{ name: 'search', args: `{"q":"${n}"}`, error: failing }],
        }),
      )
      Object.assign(sums, {
        cost: sums.cost + costUsd,
        costSq: sums.costSq + costUsd ** 2,
        units: sums.units + 1,
        failedTraces: sums.failedTraces + (failing ? 1 : 0),
      })
    }
    expected.set(T0 + minute * MIN, sums)
  }
  await server.deps.writer.write(rows)
  await server.drain()
}, 120_000)

afterAll(async () => {
  await server?.stop()
})

describe('cold start on a fresh install', () => {
  it('reads per-minute sums, squares and failing traces from the resolved traces', async () => {
    const total = await minuteSeries(
      server.deps.store,
      [seriesKey('default', 'total', ''), seriesKey('default', 'tool', 'search')],
      T0,
      T0 + 20 * MIN,
    )
    const byMinute = new Map(total.filter((r) => r.dimType === 'total').map((r) => [r.minuteMs, r]))
    expect(byMinute.size).toBe(20)
    for (const [minute, sums] of expected) {
      const row = byMinute.get(minute)!
      expect(row.cost).toBeCloseTo(sums.cost, 6)
      expect(row.costSq).toBeCloseTo(sums.costSq, 8)
      expect(row.units).toBe(sums.units)
      expect(row.firstMs).toBe(minute)
    }
    const tool = total.filter((r) => r.dimType === 'tool')
    expect(tool.reduce((n, r) => n + r.failedTraces, 0)).toBe(
      [...expected.values()].reduce((n, s) => n + s.failedTraces, 0),
    )
    expect(tool.every((r) => r.traces === 10 && r.latency.counts.reduce((a, b) => a + b, 0) === 10)).toBe(true)
  })

  it('turns the spike into one cost incident two minutes after it starts, and nothing before it', async () => {
    const opened: number[] = []
    for (let minute = 1; minute <= 20; minute++) {
      const { opened: now } = await server.deps.detector.evaluate(T0 + minute * MIN)
      if (now.length > 0) opened.push(minute)
    }
    expect(opened[0]).toBe(SPIKE_MINUTE + 2)
    const { body } = await getJson<ListIncidentsResponse>(
      server,
      '/api/v1/incidents?from=2026-03-10T11:00:00Z&to=2026-03-10T13:00:00Z',
    )
    expect(body.incidents).toHaveLength(1)
    const [cost] = body.incidents
    expect(cost).toMatchObject({ family: 'cost', title: 'Cost spike', status: 'open' })
    expect(Date.parse(cost!.firstSeenAt)).toBe(T0 + SPIKE_MINUTE * MIN)
    expect(cost!.explanation).toMatch(
      /^cost per trace \d(\.\d)?× baseline since 12:14 UTC, driven by gpt-4o in planner$/,
    )
    // The traces behind it are the spike's (trace n is the n-th written; the spike's start at minute 14).
    expect(cost!.traceIds.length).toBeGreaterThan(0)
    expect(cost!.traceIds.every((id) => parseInt(id, 16) > SPIKE_MINUTE * 10)).toBe(true)
    expect(cost!.traceIds).not.toContain(traceId(1))
  })
})
