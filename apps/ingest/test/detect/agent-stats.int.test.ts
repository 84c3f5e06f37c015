/**
 * The trajectory rules' agent baselines (agentTotalsStats) read the week's current trace states in
 * one pass without FINAL. Under re-resolution (cancel + new rows in unmerged parts) they must give
 * exactly what the earlier two-pass FINAL query gave: the same count, p99, median and MAD.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { agentTotalsStats } from '../../src/db/repositories/trajectory-reads.js'
import { sql, str } from '../../src/db/sql.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
const NOW = Date.parse('2026-05-10T12:00:00Z')
const ch = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '')

interface State {
  trace_id: string
  start_time: string
  version: number
  sign: number
  root_agent: string
  outcome: string
  span_count: number
  cost_usd: string
  input_tokens: number
  output_tokens: number
}
const current = new Map<string, State>()

async function insert(label: string, rows: State[]): Promise<void> {
  const body = rows.map((r) => JSON.stringify({ project_id: 'default', end_time: r.start_time, duration_ms: 1, ...r }))
  await server.deps.store.insertJsonEachRow('traces', Buffer.from(`${body.join('\n')}\n`), `agent-stats-${label}`)
}

beforeAll(async () => {
  server = await startTestServer()
  await server.deps.store.command(sql`SYSTEM STOP MERGES traces`)
  const first: State[] = []
  for (let i = 1; i <= 60; i++) {
    const s: State = {
      trace_id: i.toString(16).padStart(32, '0'),
      start_time: ch(NOW - 2 * 3600_000 - i * 3 * 3600_000),
      version: 1,
      sign: 1,
      root_agent: i % 3 === 0 ? 'planner' : i % 3 === 1 ? 'coder' : '',
      outcome: i % 10 === 0 ? 'running' : 'ok',
      span_count: 3 + ((i * 7) % 11),
      cost_usd: (((i * 13) % 17) / 100).toFixed(4),
      input_tokens: 100 * ((i * 5) % 9),
      output_tokens: 10 * i,
    }
    first.push(s)
    current.set(s.trace_id, s)
  }
  await insert('v1', first)
  // Re-resolve every fourth trace: bigger, costlier, sometimes under another agent.
  const second: State[] = []
  for (const s of [...current.values()].filter((_, i) => i % 4 === 0)) {
    const next = { ...s, version: 2, span_count: s.span_count + 20, cost_usd: '0.9000', root_agent: 'planner' }
    second.push({ ...s, sign: -1 }, next)
    current.set(s.trace_id, next)
  }
  await insert('v2', second)
})
afterAll(async () => {
  await server?.stop()
})

describe('agent baselines of the trajectory rules', () => {
  it('equal the two-pass FINAL query on unmerged re-resolved traces', async () => {
    const from = NOW - 7 * 86_400_000
    const to = NOW - 3600_000
    const got = await agentTotalsStats(server.deps.store, from, to)
    const history = sql`
      SELECT project_id, trace_id, root_agent AS agent, span_count AS spans, toFloat64(ifNull(cost_usd, 0)) AS cost,
        input_tokens + output_tokens AS tokens
      FROM traces FINAL
      WHERE start_time > toDateTime64(${str(ch(from))}, 3, 'UTC')
        AND start_time <= toDateTime64(${str(ch(to))}, 3, 'UTC')
        AND NOT is_regression_run AND outcome != 'running'`
    const reference = await server.deps.store.query<{
      agent: string
      n: string
      p99: number[]
      med: number[]
      mad: number[]
    }>(sql`
      SELECT agent, count() AS n, any(m.med) AS med,
        [quantileExact(0.99)(toFloat64(t.spans)), quantileExact(0.99)(t.cost),
          quantileExact(0.99)(toFloat64(t.tokens))] AS p99,
        [quantileExactInclusive(0.5)(abs(toFloat64(t.spans) - m.med[1])),
          quantileExactInclusive(0.5)(abs(t.cost - m.med[2])),
          quantileExactInclusive(0.5)(abs(toFloat64(t.tokens) - m.med[3]))] AS mad
      FROM (${history}) AS t
      INNER JOIN (
        SELECT project_id, agent, [quantileExactInclusive(0.5)(toFloat64(spans)), quantileExactInclusive(0.5)(cost),
          quantileExactInclusive(0.5)(toFloat64(tokens))] AS med
        FROM (${history}) WHERE agent != '' GROUP BY project_id, agent
      ) AS m USING (project_id, agent)
      GROUP BY agent`)
    const shape = (r: { agent: string; traces: number; p99: number[]; median: number[]; mad: number[] }) => r
    const want = reference
      .map((r) => shape({ agent: r.agent, traces: Number(r.n), p99: r.p99, median: r.med, mad: r.mad }))
      .sort((a, b) => a.agent.localeCompare(b.agent))
    expect(
      got
        .map((r) => shape({ agent: r.agent, traces: r.traces, p99: r.p99, median: r.median, mad: r.mad }))
        .sort((a, b) => a.agent.localeCompare(b.agent)),
    ).toEqual(want)
    // And the count is that of the test's own current states (so a wrong reference cannot agree).
    const inRange = (ms: number) => ms > from && ms <= to
    const planner = [...current.values()].filter(
      (s) => s.root_agent === 'planner' && s.outcome !== 'running' && inRange(Date.parse(`${s.start_time}Z`)),
    )
    expect(got.find((r) => r.agent === 'planner')?.traces).toBe(planner.length)
  })
})
