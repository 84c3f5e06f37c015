import { createHmac, timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { Incident } from '@sightline/schema'
import { WebhookDelivery } from '../../src/detect/webhook-delivery.js'
import type { WebhookTarget } from '../../src/db/repositories/webhooks.js'
import { AlertNotifier, alertPayload } from '../../src/detect/webhooks.js'
import { createLogger } from '../../src/logger.js'
import { parseAllowlist } from '../../src/net/address-policy.js'
import { OutboundGuard, type HostResolver } from '../../src/net/outbound-guard.js'

const incident: Incident = {
  id: 'a'.repeat(32),
  family: 'cost',
  families: ['cost'],
  title: 'Cost spike',
  explanation: 'cost per trace 4.1× baseline since 11:50 UTC, driven by gpt-4o in planner',
  status: 'open',
  resolution: '',
  signal: 'active',
  severity: 'critical',
  severityScore: 7,
  scope: { agent: 'planner', tool: '', model: 'gpt-4o', release: '' },
  kind: 'spike',
  dimension: 'total',
  value: '',
  metric: 'cost',
  metrics: ['cost'],
  observed: 2.4,
  expected: 0.6,
  firstSeenAt: '2026-03-10T11:50:00.000Z',
  openedAt: '2026-03-10T11:52:00.000Z',
  lastSeenAt: '2026-03-10T11:55:00.000Z',
  recoveredAt: null,
  resolvedAt: null,
  acknowledgedAt: null,
  snoozedUntil: null,
  findings: 6,
  traceCount: 42,
  traceIds: ['b'.repeat(32)],
  alerted: true,
}
const SECRET = 'whsec_test_secret_0123456789'
/** Local receivers need the operator's exception, as in production. */
const LOCAL = parseAllowlist('127.0.0.1/32').allowlist

interface Hit {
  headers: http.IncomingHttpHeaders
  body: string
}
type Reply = number | 'hang' | ((res: http.ServerResponse) => void)

const servers: http.Server[] = []
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise<void>((resolve) => (s.closeAllConnections(), s.close(() => resolve())))),
  )
})

/** A receiver that answers the given replies in turn (then 200), recording every request it completes. */
async function receiver(replies: Reply[] = []): Promise<{ url: string; port: number; hits: Hit[] }> {
  const hits: Hit[] = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      const reply = replies.shift() ?? 200
      if (reply === 'hang') return
      hits.push({ headers: req.headers, body })
      if (typeof reply === 'function') reply(res)
      else res.writeHead(reply).end()
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return { url: `http://127.0.0.1:${port}/hook`, port, hits }
}

function setup(targets: WebhookTarget[], guard = new OutboundGuard(LOCAL), now = Date.now) {
  const logs: Array<Record<string, unknown>> = []
  const logger = createLogger('warn', (line) => void logs.push(JSON.parse(line) as Record<string, unknown>))
  const delivery = new WebhookDelivery(
    guard,
    { timeoutMs: 200, retries: 3, backoffMs: 10, maxResponseBytes: 64 * 1024 },
    now,
  )
  const notifier = new AlertNotifier({ targets: async () => targets }, delivery, logger)
  const send = async () => {
    notifier.notifyIncident('p', 'opened', incident)
    await notifier.drain()
  }
  return { send, logs }
}
const target = (url: string, secret: string | null = SECRET): WebhookTarget => ({
  id: '5b0c6a4e-0d1f-4d55-9a57-1b2f3c4d5e6f',
  url,
  secret,
})

/** The receiver side, as README shows it: both headers, constant-time compare, 5-minute tolerance. */
function verify(secret: string, body: string, headers: http.IncomingHttpHeaders): boolean {
  const hub = String(headers['x-hub-signature-256'])
  const { t, v1 } = Object.fromEntries(
    String(headers['x-sightline-signature'])
      .split(',')
      .map((kv) => kv.split('=')),
  ) as { t: string; v1: string }
  const expectedHub = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')
  const equal = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))
  return equal(hub, expectedHub) && equal(v1, expected) && Math.abs(Date.now() / 1000 - Number(t)) < 300
}

describe('AlertNotifier delivery', () => {
  it('retries 5xx and time-outs with back-off, then delivers once', async () => {
    const { url, hits } = await receiver([503, 'hang', 500])
    await setup([target(url)]).send()
    expect(hits).toHaveLength(3) // two 5xx answers recorded, then the success; the hung request never answered
    expect(JSON.parse(hits[2]!.body)).toMatchObject({ event: 'opened', incident: { id: incident.id } })
    // One delivery id across attempts, so a receiver can drop a retry it already processed.
    expect(new Set(hits.map((h) => h.headers['x-sightline-delivery'])).size).toBe(1)
  })

  it('gives up on a 4xx without retrying', async () => {
    const { url, hits } = await receiver([404])
    const { send, logs } = setup([target(url)])
    await send()
    expect(hits).toHaveLength(1)
    expect(logs).toEqual([
      expect.objectContaining({ message: 'alert delivery failed', reason: 'webhook answered 404', attempts: 1 }),
    ])
  })

  it('signs every delivery: the receiver verifies both headers with the secret', async () => {
    const { url, hits } = await receiver()
    await setup([target(url)]).send()
    const [hit] = hits
    expect(hit!.headers['x-sightline-webhook-id']).toBe('5b0c6a4e-0d1f-4d55-9a57-1b2f3c4d5e6f')
    expect(hit!.headers['x-hub-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/)
    expect(hit!.headers['x-sightline-signature']).toMatch(/^t=\d{10},v1=[0-9a-f]{64}$/)
    expect(verify(SECRET, hit!.body, hit!.headers)).toBe(true)
    expect(verify('whsec_another_secret', hit!.body, hit!.headers)).toBe(false)
    expect(verify(SECRET, hit!.body.replace('"opened"', '"resolved"'), hit!.headers)).toBe(false)
  })

  it('is verified by the snippet README gives receivers', async () => {
    const readme = fs.readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8')
    const snippet = /Verify the raw body:\n\n```js\n([\s\S]*?)```/.exec(readme)?.[1]
    expect(snippet?.trim().split('\n')).toHaveLength(5)
    const body = snippet!.replace(/^import .*\n/, '') + 'return valid'
    const check = new Function('createHmac', 'timingSafeEqual', 'req', 'secret', 'rawBody', body) as (
      ...args: unknown[]
    ) => boolean
    const { url, hits } = await receiver()
    await setup([target(url)]).send()
    const req = { headers: hits[0]!.headers }
    expect(check(createHmac, timingSafeEqual, req, SECRET, hits[0]!.body)).toBe(true)
    expect(check(createHmac, timingSafeEqual, req, SECRET, `${hits[0]!.body} `)).toBe(false)
    expect(check(createHmac, timingSafeEqual, req, 'whsec_wrong', hits[0]!.body)).toBe(false)
    // A delivery signed 10 minutes ago (a replay) carries a valid HMAC but an old, signed, timestamp.
    await setup([target(url)], undefined, () => Date.now() - 10 * 60_000).send()
    const replay = hits[1]!
    expect(replay.headers['x-hub-signature-256']).toBe(
      `sha256=${createHmac('sha256', SECRET).update(replay.body).digest('hex')}`,
    )
    expect(check(createHmac, timingSafeEqual, { headers: replay.headers }, SECRET, replay.body)).toBe(false)
  })

  it('sends a webhook from before signing unsigned, still naming it', async () => {
    const { url, hits } = await receiver()
    await setup([target(url, null)]).send()
    expect(hits).toHaveLength(1)
    expect(hits[0]!.headers['x-sightline-webhook-id']).toBeDefined()
    expect(hits[0]!.headers['x-hub-signature-256']).toBeUndefined()
    expect(hits[0]!.headers['x-sightline-signature']).toBeUndefined()
  })

  it('sends nothing when the secret cannot be opened (never falls back to unsigned)', async () => {
    const { url, hits } = await receiver()
    const { send, logs } = setup([{ ...target(url, null), secretError: 'its secret cannot be decrypted' }])
    await send()
    expect(hits).toHaveLength(0)
    expect(logs[0]).toMatchObject({ reason: 'not sent: its secret cannot be decrypted' })
  })

  it('does not follow a redirect, even to an allowed address', async () => {
    const elsewhere = await receiver()
    const { url, hits } = await receiver([(res) => res.writeHead(302, { Location: elsewhere.url }).end()])
    const { send, logs } = setup([target(url)])
    await send()
    expect(hits).toHaveLength(1) // a 3xx is final: not retried either
    expect(elsewhere.hits).toHaveLength(0)
    expect(logs[0]).toMatchObject({
      webhookId: target(url).id,
      reason: `webhook answered 302 (redirect to ${elsewhere.url} not followed)`,
    })
  })

  it('stops reading a response that never ends', async () => {
    let closedEarly = false
    const endless = (res: http.ServerResponse) => {
      res.writeHead(200)
      const chunk = Buffer.alloc(16 * 1024, 'x')
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
      }
      res.on('drain', pump)
      res.on('close', () => (closedEarly = !res.writableEnded))
      pump()
    }
    const { url, hits } = await receiver([endless])
    const { send, logs } = setup([target(url)])
    await send()
    expect(hits).toHaveLength(1) // delivered; a time-out (200 ms) would have retried
    expect(logs).toEqual([])
    await expect.poll(() => closedEarly).toBe(true)
  })

  it('refuses a stored loopback URL at send time when no exception allows it', async () => {
    const { url, hits } = await receiver()
    const { send, logs } = setup([target(url)], new OutboundGuard())
    await send()
    expect(hits).toHaveLength(0)
    expect(logs[0]).toMatchObject({ attempts: 1 })
    expect(String(logs[0]!.reason)).toContain('127.0.0.1 is a loopback address')
  })

  it('sends Slack-compatible JSON about the incident', () => {
    const opened = alertPayload('opened', incident)
    expect(opened.text).toBe(
      ':rotating_light: Incident (critical): Cost spike. cost per trace 4.1× baseline since 11:50 UTC, ' +
        'driven by gpt-4o in planner',
    )
    expect(opened.blocks?.[1]?.text.text).toContain('42 traces, e.g. bbbbbbbb')
    const recovered = alertPayload('recovered', {
      ...incident,
      status: 'resolved',
      resolution: 'recovered',
      signal: 'normal',
      recoveredAt: '2026-03-10T12:10:00.000Z',
    })
    expect(recovered.text).toMatch(/^:white_check_mark: Recovered \(critical\): Cost spike\./)
    expect(recovered.blocks?.[1]?.text.text).toContain('normal again since 2026-03-10T12:10:00.000Z')
  })
})

describe('DNS rebinding', () => {
  /** Public when the URL is saved, loopback from then on: the classic rebinding answer. */
  const rebinding = (): HostResolver & { calls: number } => {
    const resolver = Object.assign(
      async (_hostname: string) => [
        { address: resolver.calls++ === 0 ? '93.184.215.14' : '127.0.0.1', family: 4 as const },
      ],
      { calls: 0 },
    )
    return resolver
  }

  it('passes the save-time check, then no request reaches the local listener', async () => {
    const { port, hits } = await receiver()
    const resolver = rebinding()
    const guard = new OutboundGuard(undefined, resolver)
    const url = (await guard.checkTarget(`http://rebind.example.com:${port}/hook`)).href
    const { send, logs } = setup([target(url)], guard)
    await send()
    expect(hits).toHaveLength(0)
    expect(resolver.calls).toBe(2) // save, then the one connection attempt (refused: not retried)
    expect(String(logs[0]!.reason)).toContain('rebind.example.com resolves to 127.0.0.1, a loopback address')
  })

  it('connects to the address the guard checked (control: the same name, loopback allowed)', async () => {
    const { port, hits } = await receiver()
    const resolver = rebinding()
    const guard = new OutboundGuard(LOCAL, resolver)
    const url = (await guard.checkTarget(`http://rebind.example.com:${port}/hook`)).href
    await setup([target(url)], guard).send()
    // The name exists only in the fake resolver, so the request arrived through the guard's lookup.
    expect(hits).toHaveLength(1)
    expect(hits[0]!.headers.host).toBe(`rebind.example.com:${port}`)
    expect(resolver.calls).toBe(2)
  })
})
