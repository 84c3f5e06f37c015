/**
 * HTTP load driver. Own code rather than autocannon: every body of the pool must be sent exactly
 * once (unique span ids, so the stored count can be checked), 503 + Retry-After must be retried as
 * an OTLP exporter would, and each acknowledgement latency is kept exactly.
 */
import http from 'node:http'
import type { Encoding } from './generator.js'
import { AUTH } from './server-process.js'

export interface LoadResult {
  requests: number
  spans: number
  /** performance.now() of the first send and of the last acknowledgement. */
  startedAt: number
  finishedAt: number
  /** Acknowledgement latency of each successful request, ms (send → full 200 response). */
  latenciesMs: Float64Array
  retries503: number
  errors: number
}

const HEADERS: Record<Encoding, Record<string, string>> = {
  protobuf: { 'Content-Type': 'application/x-protobuf', ...AUTH },
  'json-gzip': { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', ...AUTH },
}

function post(
  agent: http.Agent,
  url: URL,
  body: Buffer,
  headers: Record<string, string>,
): Promise<{ status: number; retryAfter: number }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: '/v1/traces',
        method: 'POST',
        headers: { ...headers, 'Content-Length': String(body.length) },
      },
      (res) => {
        res.on('data', () => undefined)
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, retryAfter: Number(res.headers['retry-after'] ?? 1) }),
        )
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

export interface LoadOptions {
  url: string
  encoding: Encoding
  bodies: Buffer[]
  spanCounts: number[]
  connections: number
  /** Open-loop pacing: send at this many spans/s (requests start on schedule, whatever the latency). */
  spansPerSecond?: number
}

export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections })
  const url = new URL(opts.url)
  const headers = HEADERS[opts.encoding]
  const latencies = new Float64Array(opts.bodies.length)
  let next = 0
  let retries503 = 0
  let errors = 0
  let spans = 0
  const startedAt = performance.now()
  const meanSpans = opts.spanCounts.reduce((a, b) => a + b, 0) / Math.max(1, opts.spanCounts.length)
  const intervalMs = opts.spansPerSecond ? (1000 * meanSpans) / opts.spansPerSecond : 0

  const sendOne = async (index: number) => {
    const body = opts.bodies[index]!
    for (let attempt = 0; ; attempt++) {
      const sent = performance.now()
      try {
        const { status, retryAfter } = await post(agent, url, body, headers)
        if (status === 200) {
          latencies[index] = performance.now() - sent
          spans += opts.spanCounts[index]!
          return
        }
        if (status === 503 || status === 429) {
          retries503++
          await sleep(Math.min(5, retryAfter) * 1000)
          continue
        }
        throw new Error(`HTTP ${status}`)
      } catch (error) {
        errors++
        if (attempt >= 5) throw new Error(`request ${index} failed 6 times: ${String(error)}`)
        await sleep(200)
      }
    }
  }

  if (intervalMs > 0) {
    // Open loop: request i starts at startedAt + i·interval; at most `connections` in flight.
    const inFlight = new Set<Promise<void>>()
    for (let i = 0; i < opts.bodies.length; i++) {
      const due = startedAt + i * intervalMs
      const wait = due - performance.now()
      if (wait > 0) await sleep(wait)
      if (inFlight.size >= opts.connections) await Promise.race(inFlight)
      const p: Promise<void> = sendOne(i).finally(() => inFlight.delete(p))
      inFlight.add(p)
    }
    await Promise.all(inFlight)
  } else {
    // Closed loop: each connection sends the next unsent body as soon as its last one is acknowledged.
    const worker = async () => {
      while (next < opts.bodies.length) await sendOne(next++)
    }
    await Promise.all(Array.from({ length: opts.connections }, worker))
  }
  const finishedAt = performance.now()
  agent.destroy()
  return { requests: opts.bodies.length, spans, startedAt, finishedAt, latenciesMs: latencies, retries503, errors }
}

export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values).sort()
  if (sorted.length === 0) return NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
