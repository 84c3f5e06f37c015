/**
 * The demo fleet's injected cost spike, loop and canary latency regression are each detected and
 * shown in the feed. A real server (scheduler off) and the real fleet; the series detectors need a
 * day of history and a spike that lasts several minutes, which a demo run cannot give in test
 * time, so the demo's own spans are read back and copied, shifted in time (new ids):
 * - history: its `success` traces on the stable executor, two a minute for the 25 hours before now;
 * - the cost spike: its `cost_spike` traces, six a minute for the last 10 minutes;
 * - the canary: its traces through executor 1.5.0-canary, spread over the last hour.
 * The loop is the demo's own Atlantis trace, as sent. Then `detector.evaluate(t)` runs minute by
 * minute over the last 10 minutes and the feed is read through `GET /api/v1/anomalies`.
 */
import { createHash } from 'node:crypto'
// Relative (test-only): @sightline/schema is not a dependency of the demo.
import type { Anomaly, ListAnomaliesResponse, SpanRowInsert } from '../../../packages/schema/src/index.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from '../../ingest/src/db/sql.js'
import { getJson, startTestServer, TEST_API_KEY, type TestServer } from '../../ingest/test/helpers/server.js'
import { startFleet, type Fleet } from '../src/fleet.js'

const MIN = 60_000
const CANARY = '1.5.0-canary'
const SPIKE_MODEL = 'claude-opus-4-20250514'

let server: TestServer
let fleet: Fleet | undefined
let now = 0
let anomalies: Anomaly[] = []
let loopTraceId = ''
/** Agents of the demo's cost_spike trace whose own LLM calls went to the spike's model. */
let spikeAgents = new Set<string>()

type Row = SpanRowInsert

/** Every column the writer takes, read back as it accepts it (times and decimals as text). */
async function readDemoSpans(): Promise<Row[]> {
  const rows = await server.deps.store.query<Record<string, unknown>>(sql`
    SELECT project_id, trace_id, span_id, parent_span_id, trace_state, name, kind, otel_kind,
      toString(start_time) AS start_time, toString(end_time) AS end_time, duration_ms, status, status_message, error_type,
      service_name, service_version, environment, scope_name, scope_version, agent_name, operation, model, provider,
      is_llm_call, input_tokens, output_tokens, cached_input_tokens, cache_write_tokens, reasoning_tokens,
      if(isNull(cost_usd), NULL, toString(cost_usd)) AS cost_usd, cost_source, is_unpriced, tool_name, tool_call_id,
      tool_arguments, session_id, user_id, attributes, flags
    FROM spans`)
  return rows.map((r) => ({
    ...(r as unknown as Row),
    otel_kind: Number(r['otel_kind']),
    duration_ms: Number(r['duration_ms']),
    is_llm_call: Boolean(Number(r['is_llm_call'])),
    is_unpriced: Boolean(Number(r['is_unpriced'])),
    input_tokens: Number(r['input_tokens']),
    output_tokens: Number(r['output_tokens']),
    cached_input_tokens: Number(r['cached_input_tokens']),
    cache_write_tokens: Number(r['cache_write_tokens']),
    reasoning_tokens: Number(r['reasoning_tokens']),
    // Content is not what detection reads; copies stay small.
    tool_result: '',
    input: '',
    output: '',
    attributes: {},
    resource_attributes: {},
    events: '[]',
    links: '[]',
  }))
}

const chMs = (text: string) => Date.parse(`${text.slice(0, 23).replace(' ', 'T')}Z`)
const chText = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
const hex = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length)

/** A copy of one trace with new ids, its earliest span moved to `startMs`. */
function copyTrace(spans: readonly Row[], copy: string, startMs: number): Row[] {
  const offset = startMs - Math.min(...spans.map((s) => chMs(s.start_time)))
  const traceId = hex(`${spans[0]!.trace_id}:${copy}`, 32)
  const spanId = (id: string) => (id === '' ? '' : hex(`${id}:${copy}`, 16))
  return spans.map((s) => ({
    ...s,
    trace_id: traceId,
    span_id: spanId(s.span_id),
    parent_span_id: spanId(s.parent_span_id),
    start_time: chText(chMs(s.start_time) + offset),
    end_time: chText(chMs(s.end_time) + offset),
  }))
}

async function writeShiftedCopies(spans: Row[]): Promise<void> {
  const byTrace = new Map<string, Row[]>()
  for (const s of spans) byTrace.set(s.trace_id, [...(byTrace.get(s.trace_id) ?? []), s])
  const traces = [...byTrace.values()]
  // Scenario tags are on the root spans' attributes, read separately (copies drop attributes).
  const tags = await server.deps.store.query<{ trace_id: string; scenario: string }>(sql`
    SELECT trace_id, attributes['demo.scenario'] AS scenario FROM spans WHERE parent_span_id = '' AND attributes['demo.scenario'] != ''`)
  const scenario = new Map(tags.map((t) => [t.trace_id, t.scenario]))
  const of = (name: string) => traces.filter((t) => scenario.get(t[0]!.trace_id) === name)
  const isCanary = (t: Row[]) => t.some((s) => s.service_version === CANARY)
  // Normal history runs on the stable executor; the canary's share comes from its own copies below.
  const success = of('success').filter((t) => !isCanary(t))
  const spikes = of('cost_spike')
  const canaries = traces.filter(isCanary)
  expect(success.length, 'success traces').toBeGreaterThan(3)
  expect(spikes.length, 'cost_spike traces').toBeGreaterThan(0)
  expect(canaries.length, 'canary traces').toBeGreaterThan(0)
  loopTraceId = of('loop')[0]![0]!.trace_id
  const spike = spikes[0]!
  const agentOf = (span: Row): string => {
    const parent = spike.find((s) => s.span_id === span.parent_span_id)
    return !parent ? '' : parent.kind === 'agent' && parent.agent_name ? parent.agent_name : agentOf(parent)
  }
  spikeAgents = new Set(spike.filter((s) => s.is_llm_call && s.model === SPIKE_MODEL).map(agentOf))
  expect(spikeAgents.size, 'agents calling the spike model').toBeGreaterThan(0)

  let batch: Row[] = []
  const flush = async (force = false) => {
    if (batch.length > 20_000 || (force && batch.length > 0)) {
      await server.deps.writer.write(batch)
      batch = []
    }
  }
  let n = 0
  for (let t = now - 25 * 60 * MIN; t < now; t += MIN) {
    for (let i = 0; i < 2; i++, n++) batch.push(...copyTrace(success[n % success.length]!, `h${n}`, t + i * 25_000))
    if (t >= now - 10 * MIN) for (let i = 0; i < 6; i++, n++) batch.push(...copyTrace(spikes[n % spikes.length]!, `s${n}`, t + 2_000 + i * 8_000))
    if (t >= now - 55 * MIN && t % (3 * MIN) === 0) batch.push(...copyTrace(canaries[n++ % canaries.length]!, `c${n}`, t + 10_000))
    await flush()
  }
  await flush(true)
  await server.drain()
}

beforeAll(async () => {
  server = await startTestServer({ SIGHTLINE_ANOMALY_INTERVAL_MS: '0' })
  fleet = await startFleet({ sightlineUrl: server.url, sightlineApiKey: TEST_API_KEY, seed: 7, rate: 60, timeScale: 0.05, maxTraces: 50, portBase: 0, log: () => {} })
  await fleet.trafficDone
  await fleet.stop()
  fleet = undefined
  await server.drain()
  now = Math.ceil(Date.now() / MIN) * MIN
  await writeShiftedCopies(await readDemoSpans())
  for (let t = now - 10 * MIN; t <= now; t += MIN) await server.deps.detector.evaluate(t)
  const from = new Date(now - 2 * 86_400_000).toISOString()
  const { body } = await getJson<ListAnomaliesResponse>(server, `/api/v1/anomalies?from=${from}&to=${new Date(now + MIN).toISOString()}&limit=500`)
  anomalies = body.anomalies
}, 150_000)

afterAll(async () => {
  await fleet?.stop()
  await server?.stop()
})

describe('the demo fleet\'s anomalies in the feed', () => {
  it('finds the planner looping on the weather in Atlantis', () => {
    const loop = anomalies.find((a) => a.kind === 'tool_loop' && a.traceIds.includes(loopTraceId))
    expect(loop, JSON.stringify(anomalies.map((a) => [a.kind, a.dimension, a.value, a.metric]))).toMatchObject({ dimension: 'trace', value: 'weather', status: 'open' })
    expect(loop!.observed).toBeGreaterThanOrEqual(4)
    expect(loop!.summary).toContain('Atlantis')
  })

  it('finds the cost spike on the spike\'s agent', () => {
    const spike = anomalies.find((a) => a.metric === 'cost' && (a.kind === 'spike' || a.kind === 'level_shift') && a.dimension === 'agent' && spikeAgents.has(a.value))
    expect(spike, JSON.stringify(anomalies.filter((a) => a.metric === 'cost').map((a) => [a.kind, a.dimension, a.value]))).toBeDefined()
    expect(spike!.observed).toBeGreaterThan(2 * spike!.expected)
    expect(Date.parse(spike!.startedAt)).toBeGreaterThanOrEqual(now - 12 * MIN)
    expect(spike!.traceIds.length).toBeGreaterThan(0)
    // The project total moves too.
    expect(anomalies.some((a) => a.metric === 'cost' && a.dimension === 'total')).toBe(true)
  })

  it('finds the canary release\'s latency regression', () => {
    const canary = anomalies.find((a) => a.dimension === 'release' && a.value === CANARY && a.metric === 'latency_p95')
    expect(canary, JSON.stringify(anomalies.filter((a) => a.dimension === 'release'))).toMatchObject({ kind: 'level_shift', status: 'open' })
    expect(canary!.observed).toBeGreaterThan(1.5 * canary!.expected)
    expect(canary!.summary).toMatch(/slower than release 1\.4\.0/)
  })
})
