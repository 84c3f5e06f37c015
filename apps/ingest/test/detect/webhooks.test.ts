import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { Anomaly } from '@sightline/schema'
import { AlertNotifier, alertPayload } from '../../src/detect/webhooks.js'
import { createLogger } from '../../src/logger.js'

const anomaly: Anomaly = {
  id: 'a'.repeat(32), kind: 'spike', dimension: 'model', value: 'gpt-4o', metric: 'cost', status: 'open', severity: 'critical',
  startedAt: '2026-03-10T11:50:00.000Z', lastSeenAt: '2026-03-10T11:55:00.000Z', endedAt: null, observed: 2.4, expected: 0.1, score: 40,
  traceIds: ['b'.repeat(32)], summary: 'Spike in cost for model gpt-4o',
}

let server: http.Server | undefined
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())))

/** A receiver that answers the given statuses in turn (then 200), or hangs when told to. */
async function receiver(statuses: Array<number | 'hang'>): Promise<{ url: string; hits: unknown[] }> {
  const hits: unknown[] = []
  server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      const status = statuses.shift() ?? 200
      if (status === 'hang') return
      hits.push(JSON.parse(body))
      res.writeHead(status).end()
    })
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, hits }
}

const notifierFor = (url: string) =>
  new AlertNotifier({ list: async () => [{ id: '1', url, createdAt: '' }] }, createLogger('silent'), { timeoutMs: 200, retries: 3, backoffMs: 10 })

describe('AlertNotifier', () => {
  it('retries 5xx and time-outs with back-off, then delivers once', async () => {
    const { url, hits } = await receiver([503, 'hang', 500])
    const notifier = notifierFor(url)
    notifier.notify('p', 'opened', anomaly)
    await notifier.drain()
    expect(hits).toHaveLength(3) // two 5xx answers recorded, then the success; the hung request never answered
    expect(hits[2]).toMatchObject({ event: 'opened', anomaly: { id: anomaly.id } })
  })

  it('gives up on a 4xx without retrying', async () => {
    const { url, hits } = await receiver([404])
    const notifier = notifierFor(url)
    notifier.notify('p', 'opened', anomaly)
    await notifier.drain()
    expect(hits).toHaveLength(1)
  })

  it('sends Slack-compatible JSON', () => {
    const payload = alertPayload('resolved', { ...anomaly, status: 'resolved', endedAt: '2026-03-10T12:10:00.000Z' })
    expect(payload.text).toMatch(/Recovered: spike in cost for model gpt-4o/)
    expect(payload.blocks?.[1]?.text.text).toMatch(/observed 2\.40 vs expected 0\.100/)
  })
})
