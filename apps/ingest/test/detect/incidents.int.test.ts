import { createHmac } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type {
  AlertPayload,
  Anomaly,
  GetAnomalyResponse,
  GetIncidentResponse,
  Incident,
  IncidentActionResponse,
  ListAnomaliesResponse,
  ListIncidentsResponse,
  ListWebhooksResponse,
  PutWebhookResponse,
} from '@sightline/schema'
import { Rng } from '../../bench/anomaly/rng.js'
import { getJson, startTestServer, type TestServer } from '../helpers/server.js'
import { agentTrace, traceId } from './rows.js'

/**
 * End to end: 2 days of seeded history written through the writer (past timestamps), then a cost
 * spike, a tool loop, a tool-error burst, an agent that never returned, and a regression-runner
 * replay that loops too. The detector is driven minute by minute with `evaluate(now)`; findings
 * (anomalies) and incidents come back through the API, people act on incidents, and a local webhook
 * receives one notice per incident (opened, then recovered), never one per finding, each signed
 * with the secret the webhook got when it was added. The local receiver is allowed the way an
 * operator would allow an internal relay: SIGHTLINE_ALERT_ALLOWED_TARGETS=127.0.0.1/32.
 */
const MIN = 60_000
const NOW = Date.parse('2026-03-10T12:00:00Z')
const SPIKE = { from: NOW - 12 * MIN, to: NOW + 3 * MIN }
const LOOP_TRACE = 900_001
const ERROR_TRACE = 900_002
const ORPHAN_TRACE = 900_003
const REPLAY_TRACES = [900_010, 900_011, 900_012, 900_013]

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
      rows.push(
        ...agentTrace({
          n: n++,
          startMs: t + rng.int(0, 50_000),
          costUsd: rng.lognormal(0.02, 0.5),
          tools,
          user: `user-${rng.int(1, 5)}`,
        }),
      )
    }
    if (rows.length > 5000) {
      await server.deps.writer.write(rows)
      rows = []
    }
  }
  const same = JSON.stringify({ q: 'weather in Paris' })
  rows.push(
    ...agentTrace({
      n: LOOP_TRACE,
      startMs: NOW - 5 * MIN,
      costUsd: 0.02,
      tools: Array.from({ length: 6 }, () => ({ name: 'search', args: same })),
    }),
  )
  rows.push(
    ...agentTrace({
      n: ERROR_TRACE,
      startMs: NOW - 3 * MIN,
      costUsd: 0.02,
      tools: Array.from({ length: 5 }, (_, i) => ({
        name: 'fetch_url',
        args: `{"url":"https://x/${i}"}`,
        error: true,
      })),
    }),
  )
  rows.push(
    ...agentTrace({
      n: ORPHAN_TRACE,
      startMs: NOW - 20 * MIN,
      costUsd: 0.02,
      withoutRoot: true,
      tools: [{ name: 'search', args: '{"q":"orphan"}' }],
    }),
  )
  // `sightline regress` replays: expensive loops, marked as regression-runner traffic at ingest.
  for (const n of REPLAY_TRACES) {
    const replay = agentTrace({
      n,
      startMs: NOW - 8 * MIN + (n % 10) * 20_000,
      costUsd: 2,
      tools: Array.from({ length: 8 }, () => ({ name: 'weather', args: '{"city":"Atlantis"}' })),
    })
    rows.push(...replay.map((row) => ({ ...row, flags: ['regression_run'] })))
  }
  await server.deps.writer.write(rows)
  await server.drain()
}

beforeAll(async () => {
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
  // The scheduler off: the test drives the detector on March's clock. Once the file ran over a minute (a loaded
  // machine), a scheduled run on today's clock ended the spike and opened incidents of its own.
  server = await startTestServer({
    SIGHTLINE_ALERT_ALLOWED_TARGETS: '127.0.0.1/32',
    SIGHTLINE_ANOMALY_INTERVAL_MS: '0',
  })
  await seed()
}, 180_000)

afterAll(async () => {
  await server?.stop()
  await new Promise<void>((resolve) => receiver?.close(() => resolve()))
})

const list = (query = '') =>
  getJson<ListAnomaliesResponse>(server, `/api/v1/anomalies?from=2026-03-09T00:00:00Z&to=2026-03-11T00:00:00Z${query}`)
const incidents = async (query = '') =>
  (
    await getJson<ListIncidentsResponse>(
      server,
      `/api/v1/incidents?from=2026-03-09T00:00:00Z&to=2026-03-11T00:00:00Z${query}`,
    )
  ).body.incidents
const act = (id: string, action: string, body: unknown = {}) =>
  fetch(`${server.url}/api/v1/incidents/${id}/${action}`, {
    method: 'POST',
    headers: { ...server.authHeaders, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
let costIncident: Incident

describe('anomaly detection end to end', () => {
  it('manages webhook targets and validates their URL', async () => {
    const put = (url: string) =>
      fetch(`${server.url}/api/v1/alerts/webhooks`, {
        method: 'PUT',
        headers: { ...server.authHeaders, 'Content-Type': 'application/json' },
        body: JSON.stringify({ url }),
      })
    expect((await put('ftp://example.com/x')).status).toBe(400)
    expect((await put('not a url')).status).toBe(400)
    const spare = (await (await put('http://127.0.0.1:9/spare')).json()) as { webhook: { id: string } }
    const added = await put(receiverUrl)
    expect(added.status).toBe(200)
    receiverSecret = ((await added.json()) as PutWebhookResponse).secret ?? ''
    expect(receiverSecret).toMatch(/^whsec_/)
    expect((await put('http://127.0.0.2/not-allowed')).status).toBe(400)
    const del = await fetch(`${server.url}/api/v1/alerts/webhooks?id=${spare.webhook.id}`, {
      method: 'DELETE',
      headers: server.authHeaders,
    })
    expect(del.status).toBe(204)
    const { body } = await getJson<ListWebhooksResponse>(server, '/api/v1/alerts/webhooks')
    expect(body.webhooks.map((w) => w.url)).toEqual([receiverUrl])
    expect((await fetch(`${server.url}/api/v1/anomalies`)).status).toBe(401)
    expect((await fetch(`${server.url}/api/v1/incidents`)).status).toBe(401)
  })

  it('finds the spike, the loop, the error burst and the unfinished agent, each in its incident', async () => {
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

    expect(byKind('tool_loop')).toEqual([
      expect.objectContaining({ value: 'search', observed: 6, traceIds: [traceId(LOOP_TRACE)] }),
    ])
    expect(byKind('tool_error_burst')).toEqual([
      expect.objectContaining({ dimension: 'trace', traceIds: [traceId(ERROR_TRACE)], observed: 5 }),
    ])
    expect(byKind('unfinished_agent')).toEqual([expect.objectContaining({ traceIds: [traceId(ORPHAN_TRACE)] })])
    const one = await getJson<GetAnomalyResponse>(server, `/api/v1/anomalies/${spike!.id}`)
    expect(one.body.anomaly).toEqual(spike)
    expect((await getJson(server, `/api/v1/anomalies/${'0'.repeat(32)}`)).status).toBe(404)

    // Every finding is in an incident; the spike's many series are one incident, each trace rule its own.
    expect(body.anomalies.every((a) => /^[0-9a-f]{32}$/.test(a.incidentId))).toBe(true)
    const feed = await incidents()
    const seriesOfSpike = byKind('spike').map((a) => a.incidentId)
    expect(new Set(seriesOfSpike).size).toBe(1)
    costIncident = feed.find((i) => i.id === seriesOfSpike[0])!
    expect(costIncident).toMatchObject({ family: 'cost', status: 'open', signal: 'active', title: 'Cost spike' })
    expect(costIncident.severity).not.toBe('info')
    // The seeded spike is ten times the traffic at the usual cost per trace.
    expect(costIncident.explanation).toMatch(
      new RegExp(
        String.raw`^cost \d+(\.\d)?× baseline from traffic \d+(\.\d)?× \(cost per trace unchanged\) ` +
          String.raw`since \d\d:\d\d UTC, driven by gpt-4o in planner$`,
      ),
    )
    expect(costIncident.findings).toBe(seriesOfSpike.length)
    expect(costIncident.traceCount).toBeGreaterThan(50)
    expect(costIncident.traceIds.length).toBe(20)
    const families = feed.map((i) => i.family)
    expect(
      families.filter((f) => f === 'cost'),
      JSON.stringify(feed.map((i) => [i.family, i.explanation])),
    ).toHaveLength(1)
    expect(families).toEqual(expect.arrayContaining(['loop', 'tool_errors', 'unfinished']))
    // Single traces are shown, not sent: trace rules need a few traces before they alert (the
    // lognormal history also has a trace or two far above the agent's usual cost: shown the same way).
    expect(feed.find((i) => i.family === 'loop')).toMatchObject({
      severity: 'info',
      traceCount: 1,
      traceIds: [traceId(LOOP_TRACE)],
      alerted: false,
    })
    for (const i of feed.filter((f) => f.family !== 'cost'))
      expect(i).toMatchObject({ severity: 'info', alerted: false })
    expect(feed.filter((i) => i.family !== 'cost').every((i) => i.traceCount < 3)).toBe(true)
    // Open incidents first, the most severe first among them.
    expect(feed[0]!.id).toBe(costIncident.id)
    // The regression runner's looping replays are in no finding and no incident.
    const replayIds = new Set(REPLAY_TRACES.map(traceId))
    expect(body.anomalies.some((a) => a.traceIds.some((t) => replayIds.has(t)))).toBe(false)
    expect(feed.some((i) => i.traceIds.some((t) => replayIds.has(t)))).toBe(false)

    const detail = await getJson<GetIncidentResponse>(server, `/api/v1/incidents/${costIncident.id}`)
    expect(detail.body.incident).toEqual(costIncident)
    expect(detail.body.anomalies.map((a) => a.id).sort()).toEqual(
      byKind('spike')
        .map((a) => a.id)
        .sort(),
    )
    expect((await getJson(server, `/api/v1/incidents/${'0'.repeat(32)}`)).status).toBe(404)
    expect((await getJson(server, '/api/v1/incidents/nope')).status).toBe(400)
  })

  it('lets people acknowledge, snooze, resolve and reopen, refusing what makes no sense', async () => {
    const loop = (await incidents()).find((i) => i.family === 'loop')!
    expect((await act(loop.id, 'snooze', { minutes: 0 })).status).toBe(400)
    expect((await act(loop.id, 'snooze', {})).status).toBe(400)
    expect((await act(loop.id, 'explode')).status).toBe(400)
    expect((await act(loop.id, 'acknowledge', { extra: 1 })).status).toBe(400)
    expect((await act('f'.repeat(32), 'acknowledge')).status).toBe(404)
    const acked = (await (await act(loop.id, 'acknowledge')).json()) as IncidentActionResponse
    expect(acked.incident).toMatchObject({ status: 'acknowledged' })
    expect(acked.incident.acknowledgedAt).not.toBeNull()
    const snoozed = (await (await act(loop.id, 'snooze', { minutes: 60 })).json()) as IncidentActionResponse
    expect(snoozed.incident.status).toBe('snoozed')
    expect(Date.parse(snoozed.incident.snoozedUntil!) - Date.now()).toBeGreaterThan(59 * MIN)
    expect((await act(loop.id, 'resolve')).status).toBe(200)
    const resolved = await act(loop.id, 'acknowledge')
    expect(resolved.status).toBe(409)
    expect(((await resolved.json()) as { error: { code: string } }).error.code).toBe('incident_state')
    expect((await incidents('&status=resolved')).map((i) => i.id)).toEqual([loop.id])
    expect((await (await act(loop.id, 'reopen')).json()) as IncidentActionResponse).toMatchObject({
      incident: { status: 'open', resolution: '' },
    })
    expect((await act(loop.id, 'reopen')).status).toBe(409)
    // Another project sees none of it.
    const other = await server.deps.projects.createProject('other')
    const theirs = await fetch(`${server.url}/api/v1/incidents/${loop.id}/acknowledge`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${other.apiKey}`, 'Content-Type': 'application/json' },
      body: '{}',
    })
    expect(theirs.status).toBe(404)
  })

  it('recovers the spike after it ends and sends one notice per incident, opened then recovered', async () => {
    for (let t = NOW + MIN; t <= NOW + 40 * MIN; t += MIN) await server.deps.detector.evaluate(t)
    await server.deps.notifier.drain()
    const { body } = await list('&kind=spike&dimension=total')
    const spike = body.anomalies.find((a) => a.metric === 'cost')!
    expect(spike.status).toBe('resolved')
    expect(Date.parse(spike.endedAt!)).toBeGreaterThan(SPIKE.to)
    expect(Date.parse(spike.endedAt!)).toBeLessThan(SPIKE.to + 20 * MIN)
    const all = await incidents()
    const cost = all.find((i) => i.id === costIncident.id)!
    expect(cost).toMatchObject({ status: 'resolved', resolution: 'recovered', signal: 'normal' })
    // Trace incidents go quiet once no new trace comes (a trace seen again is no new evidence).
    expect(all.find((i) => i.family === 'loop')).toMatchObject({ status: 'resolved', resolution: 'recovered' })
    expect(Date.parse(cost.resolvedAt!) - Date.parse(cost.recoveredAt!)).toBeGreaterThanOrEqual(5 * MIN)

    const about = (id: string) => received.filter((p) => p.incident.id === id).map((p) => p.event)
    expect(about(costIncident.id)).toEqual(['opened', 'recovered'])
    // Info incidents (one trace each) were never sent; nothing was sent per finding.
    expect(new Set(received.map((p) => p.incident.id))).toEqual(new Set([costIncident.id]))
    const opened = received.find((p) => p.event === 'opened')!
    // The text is the incident as it was when it opened (its explanation is refreshed as it goes on).
    expect(opened.text).toMatch(
      /^:rotating_light: Incident \((warning|critical)\): Cost spike\. cost .*driven by gpt-4o in planner$/,
    )
    expect(opened.blocks?.[0]?.type).toBe('section')
    for (const { body, hub } of signatures)
      expect(hub).toBe(`sha256=${createHmac('sha256', receiverSecret).update(body).digest('hex')}`)
  })
})
