/**
 * Three ingest replicas, one store (a ClickHouse HTTP front over chDB: the product's server mode).
 * Load goes through all of them, each trace split over two replicas; mid-load the replica that
 * holds the resolver lease is SIGKILLed, its requests are retried on the others (as a load balancer
 * or an exporter would), and it restarts on its own data directory later. Then: every span of every
 * acknowledged request is readable exactly once, through any replica; every trace is resolved once
 * (its list row and detail agree); and every rollup number equals a recount from the spans.
 */
import { createClient, type ClickHouseClient } from '@clickhouse/client'
import { randomBytes } from 'node:crypto'
import type { GetTraceResponse, ListTracesResponse, OverviewResponse } from '@sightline/schema'
import { startClickHouseFront, type ClickHouseFront } from '@sightline/testkit/clickhouse-http-front'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startChildServer, type ChildServer } from '../helpers/child-server.js'
import { apiGet, authFor, waitFor } from '../edge/helpers.js'

const API_KEY = 'sl_replicas_key_0123456789'
const TRACES = 120
const ROOT_SPANS = 1
const CHILD_SPANS = 29
const LLM_EVERY = 3
const IN_FLIGHT = 6
const DATABASE = 'replicas'

let front: ClickHouseFront
let ch: ClickHouseClient
const replicas: Array<ChildServer | undefined> = []
const replicaIds = ['replica-a', 'replica-b', 'replica-c']

function storeEnv(): Record<string, string> {
  return {
    CLICKHOUSE_URL: front.url,
    CLICKHOUSE_USER: front.user,
    CLICKHOUSE_PASSWORD: front.password,
    CLICKHOUSE_DATABASE: DATABASE,
  }
}

async function startReplica(i: number, dataDir?: string): Promise<ChildServer> {
  const env = {
    ...storeEnv(),
    SIGHTLINE_REPLICA_ID: replicaIds[i]!,
    // Fail-over in seconds, not the default 15 s; quiet window short so traces resolve during the load.
    SIGHTLINE_LEASE_TTL_MS: '3000',
    SIGHTLINE_RESOLVE_QUIET_MS: '300',
    SIGHTLINE_ANOMALY_INTERVAL_MS: '0',
    SIGHTLINE_EVAL_INTERVAL_MS: '0',
    LOG_LEVEL: 'info',
  }
  const child = await startChildServer(API_KEY, env, dataDir ? { dataDir } : {})
  replicas[i] = child
  return child
}

beforeAll(async () => {
  front = await startClickHouseFront({ user: 'sightline', password: 'front-password' })
  ch = createClient({ url: front.url, username: front.user, password: front.password })
  await ch.command({ query: `CREATE DATABASE IF NOT EXISTS ${DATABASE}` })
  // The first replica migrates the store; the others find it migrated.
  await startReplica(0)
  await Promise.all([startReplica(1), startReplica(2)])
}, 180_000)

afterAll(async () => {
  for (const replica of replicas) await replica?.kill().catch(() => undefined)
  await ch?.close()
  await front?.stop()
})

interface Request {
  traceId: string
  spanIds: string[]
  body: string
}

const kv = (key: string, value: string | number) => ({
  key,
  value: typeof value === 'number' ? { intValue: String(value) } : { stringValue: value },
})

/** Trace t in two requests: its root agent span, and its children (every third a priced model call). */
function makeRequests(): Request[] {
  const base = BigInt(Date.now() - 1_800_000) * 1_000_000n
  const requests: Request[] = []
  for (let t = 0; t < TRACES; t++) {
    const traceId = randomBytes(16).toString('hex')
    const rootId = randomBytes(8).toString('hex')
    const start = base + BigInt(t) * 1_000_000_000n
    const span = (spanId: string, parentSpanId: string, j: number, attributes: object[]) => ({
      traceId,
      spanId,
      parentSpanId,
      name: j === 0 ? `task-${t}` : `step-${j}`,
      kind: j === 0 ? 2 : 1,
      startTimeUnixNano: String(start + BigInt(j) * 1_000_000n),
      endTimeUnixNano: String(start + BigInt(j + 1) * 1_000_000n + (j === 0 ? 100_000_000n : 0n)),
      attributes,
    })
    const root = span(rootId, '', 0, [
      kv('gen_ai.operation.name', 'invoke_agent'),
      kv('gen_ai.agent.name', `agent-${t % 3}`),
    ])
    const childIds = Array.from({ length: CHILD_SPANS }, () => randomBytes(8).toString('hex'))
    const children = childIds.map((id, k) =>
      span(
        id,
        rootId,
        k + 1,
        k % LLM_EVERY === 0
          ? [
              kv('gen_ai.operation.name', 'chat'),
              kv('gen_ai.provider.name', 'openai'),
              kv('gen_ai.request.model', 'gpt-4o-mini'),
              kv('gen_ai.usage.input_tokens', 100 + k),
              kv('gen_ai.usage.output_tokens', 10 + k),
            ]
          : [kv('padding', 'x'.repeat(100))],
      ),
    )
    const body = (spans: object[]) =>
      JSON.stringify({
        resourceSpans: [
          { resource: { attributes: [kv('service.name', 'replicas')] }, scopeSpans: [{ scope: { name: 'r' }, spans }] },
        ],
      })
    requests.push(
      { traceId, spanIds: [rootId], body: body([root]) },
      { traceId, spanIds: childIds, body: body(children) },
    )
  }
  return requests
}

async function resolverHolder(): Promise<string | undefined> {
  const result = await ch.query({
    query: `SELECT holder FROM ${DATABASE}.leases WHERE name = 'resolver' ORDER BY epoch DESC, renewed_at DESC LIMIT 1`,
    format: 'JSONEachRow',
  })
  return (await result.json<{ holder: string }>())[0]?.holder
}

/**
 * Sends every request, spreading them over the live replicas (request n to replica n mod 3, so the
 * two halves of a trace go to different replicas). A request that fails on a dead replica is sent to
 * the next live one. `onProgress` runs after each acknowledgement.
 */
async function sendAll(requests: Request[], onProgress: (acked: number) => void): Promise<Set<number>> {
  const acked = new Set<number>()
  let next = 0
  const send = async (i: number) => {
    for (let attempt = 0; attempt < 3 * replicas.length; attempt++) {
      const replica = replicas[(i + attempt) % replicas.length]
      if (!replica) continue
      try {
        const res = await fetch(`${replica.url}/v1/traces`, {
          method: 'POST',
          body: requests[i]!.body,
          headers: { 'Content-Type': 'application/json', ...authFor(API_KEY) },
        })
        if (res.status === 200) return acked.add(i)
        await res.arrayBuffer()
      } catch {
        // that replica is gone: the next one
      }
    }
    throw new Error(`request ${i} was not acknowledged by any replica`)
  }
  const worker = async () => {
    while (next < requests.length) {
      const i = next++
      await send(i)
      onProgress(acked.size)
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
  return acked
}

const anyUrl = () => replicas.find((r) => r !== undefined)!.url

describe('three ingest replicas on one store', () => {
  it('one replica killed and restarted under load: every acknowledged span once, rollups equal a recount', {
    timeout: 300_000,
  }, async () => {
    const requests = makeRequests()
    let killed: { index: number; dataDir: string; at: Promise<void> } | undefined
    const acked = await sendAll(requests, (count) => {
      if (killed || count < requests.length / 3) return
      killed = { index: -1, dataDir: '', at: Promise.resolve() }
      killed.at = (async () => {
        // The resolver's leader: its pending traces and its lease must pass to another replica.
        const holder = await resolverHolder()
        const index = Math.max(0, replicaIds.indexOf(holder ?? ''))
        const victim = replicas[index]!
        replicas[index] = undefined
        killed!.index = index
        killed!.dataDir = victim.dataDir
        await victim.kill()
      })()
    })
    expect(acked.size).toBe(requests.length)
    expect(killed).toBeDefined()
    await killed!.at

    // The lease moved while the victim was down (3 s lease time).
    await waitFor(
      'another replica to take the resolver lease',
      async () => {
        const holder = await resolverHolder()
        return holder && holder !== replicaIds[killed!.index] ? holder : undefined
      },
      30_000,
    )

    // The victim comes back on its own spool: what it had acknowledged but not stored is replayed.
    await startReplica(killed!.index, killed!.dataDir)

    const byTrace = new Map<string, Set<string>>()
    for (const r of requests) byTrace.set(r.traceId, new Set([...(byTrace.get(r.traceId) ?? []), ...r.spanIds]))
    const expectedSpans = ROOT_SPANS + CHILD_SPANS

    let listed: ListTracesResponse['traces'] = []
    await waitFor(
      'every trace resolved with all its spans',
      async () => {
        const res = await apiGet<ListTracesResponse>(
          anyUrl(),
          '/api/v1/traces?from=2000-01-01T00:00:00Z&limit=500',
          API_KEY,
        )
        listed = res.body.traces
        return listed.length === TRACES && listed.every((t) => t.spanCount === expectedSpans) ? true : undefined
      },
      120_000,
    )

    // Every replica serves the same data; each trace's spans exactly once.
    for (const trace of listed.slice(0, 20)) {
      for (const replica of replicas) {
        const detail = await apiGet<GetTraceResponse>(replica!.url, `/api/v1/traces/${trace.traceId}`, API_KEY)
        const ids = detail.body.spans.map((s) => s.spanId)
        expect(new Set(ids).size).toBe(ids.length)
        expect(new Set(ids)).toEqual(byTrace.get(trace.traceId))
      }
    }

    // Rollups (fed by resolutions, on whichever replica led) equal a recount from the stored spans.
    const recount = await ch.query({
      query: `SELECT uniqExact(trace_id) AS traces, countIf(is_llm_call) AS llm_calls,
                     sumIf(input_tokens, is_llm_call) AS input_tokens,
                     sumIf(output_tokens, is_llm_call) AS output_tokens, toFloat64(sum(ifNull(cost_usd, 0))) AS cost
              FROM (SELECT * FROM ${DATABASE}.spans FINAL)`,
      format: 'JSONEachRow',
    })
    const [expected] = await recount.json<{
      traces: string
      llm_calls: string
      input_tokens: string
      output_tokens: string
      cost: number
    }>()
    const llmCallsPerTrace = Math.ceil(CHILD_SPANS / LLM_EVERY)
    expect(Number(expected!.traces)).toBe(TRACES)
    expect(Number(expected!.llm_calls)).toBe(TRACES * llmCallsPerTrace)
    await waitFor(
      'the rollups to match the recount',
      async () => {
        const res = await apiGet<OverviewResponse>(
          anyUrl(),
          `/api/v1/analytics/overview?from=2000-01-01T00:00:00Z&to=${new Date().toISOString()}`,
          API_KEY,
        )
        const c = res.body.current
        const match =
          c.traces === TRACES &&
          c.llmCalls === Number(expected!.llm_calls) &&
          c.tokens.input === Number(expected!.input_tokens) &&
          c.tokens.output === Number(expected!.output_tokens) &&
          Math.abs(c.costUsd - expected!.cost) < 1e-9
        return match ? c : undefined
      },
      60_000,
    )

    // Each trace has exactly one current state: no double resolution survived the fail-over.
    const states = await ch.query({
      query: `SELECT trace_id, sum(sign) AS live FROM ${DATABASE}.traces GROUP BY trace_id HAVING live != 1`,
      format: 'JSONEachRow',
    })
    expect(await states.json()).toEqual([])
  })
})
