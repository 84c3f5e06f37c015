import { createHmac } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AlertPayload, Anomaly, GetAnomalyResponse, ListAnomaliesResponse, ListWebhooksResponse, PutWebhookResponse } from '@sightline/schema'
import { Rng } from '../../bench/anomaly/rng.js'
import { getJson, startTestServer, type TestServer } from '../helpers/server.js'
import { agentTrace, traceId } from './rows.js'

/**
 * End to end: 2 days of seeded history written through the writer (past timestamps), then a cost
 * spike, a tool loop, a tool-error burst and an agent that never returned. The detector is driven
 * minute by minute with `evaluate(now)`; anomalies come back through the API and a local webhook
 * receives one notice per episode and a recovery notice after the spike, each signed with the secret
 * the webhook got when it was added. The local receiver is allowed the way an operator would allow
 * an internal relay: SIGHTLINE_ALERT_ALLOWED_TARGETS=127.0.0.1/32.
 */
const MIN = 60_000
const NOW = Date.parse('2026-03-10T12:00:00Z')
const SPIKE = { from: NOW - 12 * MIN, to: NOW + 3 * MIN }
const LOOP_TRACE = 900_001
const ERROR_TRACE = 900_002
const ORPHAN_TRACE = 900_003

let server: TestServer
let receiver: http.Server
let receiverUrl = ''
let receiverSecret = ''
const received: AlertPayload[] = []
const signatures: Array<{ body: string; hub: string | undefined }> = []

async function seed(): Promise<void> {
  const rng = new Rng(11)
  let n = 1
  let rows = []
  // ~2 traces/min with a daily cycle, from 2 days ago to 1 hour after NOW; 10× during the spike.
  for (let t = NOW - 2 * 86_400_000; t < NOW + 60 * MIN; t += MIN) {
    const daily = 1 + 0.4 * Math.sin((2 * Math.PI * (t % 86_400_000)) / 86_400_000)
    const inSpike = t >= SPIKE.from && t < SPIKE.to
    const count = rng.poisson(2 * daily * (inSpike ? 10 : 1))
    for (let i = 0; i < count; i++) {
      const tools = [{ name: 'search', args: JSON.stringify({ q: `query ${n}` }) }]
      rows.push(...agentTrace({ n: n++, startMs: t + rng.int(0, 50_000), costUsd: rng.lognormal(0.02, 0.5), tools, user: `user-${rng.int(1, 5)}` }))
    }
    if (rows.length > 5000) {
      await server.deps.writer.write(rows)
      rows = []
    }
  }
  const same = JSON.stringify({ q: 'weather in Paris' })
  rows.push(...agentTrace({ n: LOOP_TRACE, startMs: NOW - 5 * MIN, costUsd: 0.02, tools: Array.from({ length: 6 }, () => ({ name: 'search', args: same })) }))
  rows.push(...agentTrace({ n: ERROR_TRACE, startMs: NOW - 3 * MIN, costUsd: 0.02, tools: Array.from({ length: 5 }, (_, i) => ({ name: 'fetch_url', args: `{"url":"https://x/${i}"}`, error: true })) }))
  rows.push(...agentTrace({ n: ORPHAN_TRACE, startMs: NOW - 20 * MIN, costUsd: 0.02, withoutRoot: true, tools: [{ name: 'search', args: '{"q":"orphan"}' }] }))
  await server.deps.writer.write(rows)
  await server.drain()
}

beforeAll(async () => {
  process.env.SIGHTLINE_ANOMALY_INTERVAL_MS = '0'
  receiver = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      received.push(JSON.parse(body) as AlertPayload)
      signatures.push({ body, hub: req.headers['x-hub-signature-256'] as string | undefined })
      res.writeHead(200).end('ok')
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
  server = await startTestServer({ SIGHTLINE_ALERT_ALLOWED_TARGETS: '127.0.0.1/32' })
  await seed()
}, 180_000)

afterAll(async () => {
  await server?.stop()
  await new Promise<void>((resolve) => receiver?.close(() => resolve()))
})

const list = (query = '') => getJson<ListAnomaliesResponse>(server, `/api/v1/anomalies?from=2026-03-09T00:00:00Z&to=2026-03-11T00:00:00Z${query}`)

describe('anomaly detection end to end', () => {
  it('manages webhook targets and validates their URL', async () => {
    const put = (url: string) => fetch(`${server.url}/api/v1/alerts/webhooks`, { method: 'PUT', headers: { ...server.authHeaders, 'Content-Type': 'application/json' }, body: JSON.stringify({ url }) })
    expect((await put('ftp://example.com/x')).status).toBe(400)
    expect((await put('not a url')).status).toBe(400)
    const spare = (await (await put('http://127.0.0.1:9/spare')).json()) as { webhook: { id: string } }
    const added = await put(receiverUrl)
    expect(added.status).toBe(200)
    receiverSecret = ((await added.json()) as PutWebhookResponse).secret ?? ''
    expect(receiverSecret).toMatch(/^whsec_/)
    expect((await put('http://127.0.0.2/not-allowed')).status).toBe(400)
    const del = await fetch(`${server.url}/api/v1/alerts/webhooks?id=${spare.webhook.id}`, { method: 'DELETE', headers: server.authHeaders })
    expect(del.status).toBe(204)
    const { body } = await getJson<ListWebhooksResponse>(server, '/api/v1/alerts/webhooks')
    expect(body.webhooks.map((w) => w.url)).toEqual([receiverUrl])
    expect((await fetch(`${server.url}/api/v1/anomalies`)).status).toBe(401)
  })

  it('finds the spike, the loop, the error burst and the unfinished agent', async () => {
    for (let t = NOW - 10 * MIN; t <= NOW; t += MIN) await server.deps.detector.evaluate(t)
    const { status, body } = await list()
    expect(status).toBe(200)
    const byKind = (kind: Anomaly['kind']) => body.anomalies.filter((a) => a.kind === kind)

    const spike = byKind('spike').find((a) => a.dimension === 'total' && a.metric === 'cost')
    expect(spike).toMatchObject({ status: 'open', value: '' })
    expect(spike!.observed).toBeGreaterThan(2 * spike!.expected)
    expect(spike!.score).toBeGreaterThan(5)
    expect(Date.parse(spike!.startedAt)).toBeGreaterThanOrEqual(SPIKE.from)
    expect(Date.parse(spike!.startedAt)).toBeLessThanOrEqual(SPIKE.from + 6 * MIN)
    expect(spike!.traceIds.length).toBeGreaterThan(0)
    expect(byKind('spike').some((a) => a.dimension === 'model' && a.value === 'gpt-4o')).toBe(true)

    expect(byKind('tool_loop')).toEqual([expect.objectContaining({ value: 'search', observed: 6, traceIds: [traceId(LOOP_TRACE)] })])
    const bursts = byKind('tool_error_burst')
    expect(bursts.find((a) => a.dimension === 'trace')).toMatchObject({ traceIds: [traceId(ERROR_TRACE)], observed: 5 })
    expect(bursts.find((a) => a.dimension === 'tool')).toMatchObject({ value: 'fetch_url', observed: 5 })
    expect(byKind('unfinished_agent')).toEqual([expect.objectContaining({ traceIds: [traceId(ORPHAN_TRACE)] })])

    const filtered = await list('&kind=tool_loop,unfinished_agent&status=open')
    expect(filtered.body.anomalies.map((a) => a.kind).sort()).toEqual(['tool_loop', 'unfinished_agent'])
    const markers = await list('&dimension=total&value=')
    expect(markers.body.anomalies.every((a) => a.dimension === 'total')).toBe(true)
    const one = await getJson<GetAnomalyResponse>(server, `/api/v1/anomalies/${spike!.id}`)
    expect(one.body.anomaly).toEqual(spike)
    expect((await getJson(server, `/api/v1/anomalies/${'0'.repeat(32)}`)).status).toBe(404)
  })

  it('resolves the spike after it ends and sends one notice per episode plus a recovery notice', async () => {
    for (let t = NOW + MIN; t <= NOW + 40 * MIN; t += MIN) await server.deps.detector.evaluate(t)
    await server.deps.notifier.drain()
    const { body } = await list('&kind=spike&dimension=total')
    const spike = body.anomalies.find((a) => a.metric === 'cost')!
    expect(spike.status).toBe('resolved')
    expect(Date.parse(spike.endedAt!)).toBeGreaterThan(SPIKE.to)
    expect(Date.parse(spike.endedAt!)).toBeLessThan(SPIKE.to + 20 * MIN)

    const about = (id: string) => received.filter((p) => p.anomaly.id === id).map((p) => p.event)
    expect(about(spike.id)).toEqual(['opened', 'resolved'])
    const opened = received.filter((p) => p.event === 'opened')
    expect(new Set(opened.map((p) => p.anomaly.id)).size).toBe(opened.length)
    expect(opened.some((p) => p.anomaly.kind === 'tool_loop')).toBe(true)
    expect(opened[0]!.text.length).toBeGreaterThan(0)
    expect(opened[0]!.blocks?.[0]?.type).toBe('section')
    for (const { body, hub } of signatures) expect(hub).toBe(`sha256=${createHmac('sha256', receiverSecret).update(body).digest('hex')}`)
  })
})
