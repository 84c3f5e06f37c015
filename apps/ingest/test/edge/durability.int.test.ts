/**
 * Durability of an acknowledgement, against the real process entry point: a 200 means the spans
 * survive a crash. The server runs as a child process; a load of batches with unique span ids is
 * sent with several requests in flight, the child is killed (SIGKILL) or stopped (SIGTERM) in the
 * middle, and a fresh process on the same data directory must serve every span of every
 * acknowledged request exactly once. Spans of unacknowledged requests may be there, never twice.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { GetTraceResponse, ListTracesResponse, OverviewResponse } from '@sightline/schema'
import { afterEach, describe, expect, it } from 'vitest'
import { testStoreEnv } from '../helpers/server.js'
import { apiGet, authFor, waitFor } from './helpers.js'

const INGEST_DIR = fileURLToPath(new URL('../../', import.meta.url))
const API_KEY = 'sl_durability_key_0123456789'
const REQUESTS = 200
const SPANS_PER_REQUEST = 50
const IN_FLIGHT = 8

interface Child {
  proc: ChildProcess
  url: string
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  logs: string[]
}

const children: Child[] = []
afterEach(() => {
  for (const child of children.splice(0))
    if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill('SIGKILL')
})

/** `node --conditions=@sightline/source --import tsx src/index.ts`, resolved from the ingest package. */
async function startChild(dataDir: string): Promise<Child> {
  const proc = spawn(process.execPath, ['--conditions=@sightline/source', '--import', 'tsx', 'src/index.ts'], {
    cwd: INGEST_DIR,
    env: {
      ...process.env,
      PORT: '0',
      SIGHTLINE_GRPC_PORT: '0',
      HOST: '127.0.0.1',
      SIGHTLINE_DATA_DIR: dataDir,
      SIGHTLINE_API_KEY: API_KEY,
      LOG_LEVEL: 'info',
      ...(await testStoreEnv(dataDir)),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const logs: string[] = []
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  )
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = ''
    proc.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8')
      let newline
      while ((newline = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, newline)
        buffered = buffered.slice(newline + 1)
        logs.push(line)
        try {
          const entry = JSON.parse(line) as { message?: string; url?: string }
          if (entry.message === 'sightline listening' && entry.url) resolve(entry.url)
        } catch {
          // not a log line
        }
      }
    })
    proc.stderr!.on('data', (chunk: Buffer) => logs.push(chunk.toString('utf8')))
    void exited.then(({ code, signal }) =>
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${logs.join('\n')}`)),
    )
  })
  const child = { proc, url, exited, logs }
  children.push(child)
  return child
}

interface Batch {
  traceId: string
  spanIds: string[]
  body: string
}

/** Request i: one trace of its own with 50 spans of unique ids (a root and 49 children). */
function makeBatches(): Batch[] {
  // Well in the past: request i starts i seconds after `base`, and the list API stops at `to` = now.
  const base = BigInt(Date.now() - 3_600_000) * 1_000_000n
  return Array.from({ length: REQUESTS }, (_, i) => {
    const traceId = randomBytes(16).toString('hex')
    const spanIds = Array.from({ length: SPANS_PER_REQUEST }, () => randomBytes(8).toString('hex'))
    const spans = spanIds.map((spanId, j) => ({
      traceId,
      spanId,
      parentSpanId: j === 0 ? '' : spanIds[0],
      name: j === 0 ? `request-${i}` : `child-${j}`,
      kind: 1,
      startTimeUnixNano: String(base + BigInt(i * 1000 + j) * 1_000_000n),
      endTimeUnixNano: String(base + BigInt(i * 1000 + j + 1) * 1_000_000n),
      attributes: [{ key: 'padding', value: { stringValue: 'x'.repeat(200) } }],
    }))
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'durability' } }] },
          scopeSpans: [{ scope: { name: 'd' }, spans }],
        },
      ],
    })
    return { traceId, spanIds, body }
  })
}

/**
 * Sends every batch with IN_FLIGHT requests at once and calls `interrupt` once `interruptAfter`
 * requests were acknowledged. Returns the indexes acknowledged with a 200 (and the full body check).
 */
async function sendLoad(
  url: string,
  batches: Batch[],
  interruptAfter: number,
  interrupt: () => void,
): Promise<{ acked: Set<number>; other: Map<number, string> }> {
  const acked = new Set<number>()
  const other = new Map<number, string>()
  let next = 0
  let interrupted = false
  const worker = async () => {
    while (next < batches.length) {
      const i = next++
      try {
        const res = await fetch(`${url}/v1/traces`, {
          method: 'POST',
          body: batches[i]!.body,
          headers: { 'Content-Type': 'application/json', ...authFor(API_KEY) },
        })
        const text = await res.text()
        if (res.status === 200 && text === '{}') acked.add(i)
        else other.set(i, `${res.status} ${text}`)
      } catch (error) {
        other.set(i, `error ${(error as Error).message}`)
      }
      if (!interrupted && acked.size >= interruptAfter) {
        interrupted = true
        interrupt()
      }
    }
  }
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker))
  return { acked, other }
}

function spoolSegments(dataDir: string): string[] {
  const dir = path.join(dataDir, 'spool')
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.jsonl')) : []
}

async function listAll(url: string): Promise<ListTracesResponse['traces']> {
  const res = await apiGet<ListTracesResponse>(url, '/api/v1/traces?from=2000-01-01T00:00:00Z&limit=500', API_KEY)
  expect(res.status).toBe(200)
  expect(res.body.nextCursor).toBeNull()
  return res.body.traces
}

/** Every acknowledged request's 50 spans are there exactly once; nothing is there twice. */
async function expectExactlyOnce(url: string, batches: Batch[], acked: Set<number>): Promise<void> {
  const byTrace = new Map(batches.map((b, i) => [b.traceId, i]))
  const listed = await listAll(url)
  const counts = new Map(listed.map((t) => [t.traceId, t.spanCount]))
  for (const trace of listed) {
    // Only our traces, never more spans than were sent (a duplicate would make it more).
    expect(byTrace.has(trace.traceId)).toBe(true)
    expect(trace.spanCount).toBeLessThanOrEqual(SPANS_PER_REQUEST)
  }
  for (const i of acked) expect(counts.get(batches[i]!.traceId), `request ${i}`).toBe(SPANS_PER_REQUEST)
  // The span ids themselves, trace by trace, for every trace that has anything stored.
  for (const trace of listed) {
    const detail = await apiGet<GetTraceResponse>(url, `/api/v1/traces/${trace.traceId}`, API_KEY)
    expect(detail.status).toBe(200)
    const ids = detail.body.spans.map((s) => s.spanId)
    expect(new Set(ids).size).toBe(ids.length)
    const sent = new Set(batches[byTrace.get(trace.traceId)!]!.spanIds)
    for (const id of ids) expect(sent.has(id)).toBe(true)
    if (acked.has(byTrace.get(trace.traceId)!)) expect(ids.length).toBe(SPANS_PER_REQUEST)
  }
  // The rollups count each trace and span once too (resolved after the restart by the catch-up).
  const overview = await apiGet<OverviewResponse>(
    url,
    `/api/v1/analytics/overview?from=2000-01-01T00:00:00Z&to=${new Date().toISOString()}`,
    API_KEY,
  )
  expect(overview.body.current.traces).toBe(listed.length)
  expect(overview.body.current.llmCalls).toBe(listed.reduce((n, t) => n + t.llmCallCount, 0))
}

/** Polls until every acknowledged trace is complete (the spool replay is asynchronous). */
async function waitForReplay(url: string, batches: Batch[], acked: Set<number>): Promise<void> {
  let missing: string[] = []
  await waitFor(
    'the spool replay to land',
    async () => {
      const counts = new Map((await listAll(url)).map((t) => [t.traceId, t.spanCount]))
      missing = [...acked]
        .filter((i) => counts.get(batches[i]!.traceId) !== SPANS_PER_REQUEST)
        .map((i) => `#${i}: ${counts.get(batches[i]!.traceId) ?? 0} spans`)
      return missing.length === 0 ? true : undefined
    },
    60_000,
  ).catch((error: Error) => {
    throw new Error(
      `${error.message}; ${missing.length} of ${acked.size} acknowledged requests ` +
        `incomplete: ${missing.slice(0, 20).join(', ')}`,
    )
  })
}

describe('durability of acknowledged spans', () => {
  it('SIGKILL under load: after restart every acknowledged span is stored exactly once', {
    timeout: 240_000,
  }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-durability-kill-'))
    const batches = makeBatches()
    const first = await startChild(dataDir)
    const { acked, other } = await sendLoad(first.url, batches, REQUESTS / 2, () => first.proc.kill('SIGKILL'))
    const exit = await first.exited
    expect(exit.signal).toBe('SIGKILL')
    // The kill landed mid-load: some requests were acknowledged, the rest failed (never a non-200 answer).
    expect(acked.size).toBeGreaterThanOrEqual(REQUESTS / 2)
    expect(acked.size).toBeLessThan(REQUESTS)
    for (const [, answer] of other) expect(answer).toMatch(/^error /)

    const second = await startChild(dataDir)
    // The kill left acknowledged spans that were only in the spool: the restart replays them.
    expect(second.logs.join('\n')).toMatch(/replaying spooled spans/)
    await waitForReplay(second.url, batches, acked)
    await expectExactlyOnce(second.url, batches, acked)
    // The spool hands everything over, then empties; nothing was quarantined.
    await waitFor('the spool to empty', async () => (spoolSegments(dataDir).length === 0 ? true : undefined), 30_000)
    expect(fs.existsSync(path.join(dataDir, 'spool', 'quarantine'))).toBe(false)
    // Still exactly once after the spool emptied (no late second copy of a replayed segment).
    await expectExactlyOnce(second.url, batches, acked)

    // A third start on the same data replays nothing and still sees the same data.
    second.proc.kill('SIGTERM')
    expect((await second.exited).code, `the server's last output:\n${second.logs.slice(-40).join('\n')}`).toBe(0)
    const third = await startChild(dataDir)
    expect(third.logs.join('\n')).not.toMatch(/replaying spooled spans/)
    await expectExactlyOnce(third.url, batches, acked)
    third.proc.kill('SIGTERM')
    await third.exited
  })

  it('SIGTERM under load: exits 0, flushes the spool, and every acknowledged span is there after restart', {
    timeout: 240_000,
  }, async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-durability-term-'))
    const batches = makeBatches()
    const first = await startChild(dataDir)
    const { acked, other } = await sendLoad(first.url, batches, REQUESTS / 2, () => first.proc.kill('SIGTERM'))
    const exit = await first.exited
    expect(exit, `the server's last output:\n${first.logs.slice(-40).join('\n')}`).toEqual({ code: 0, signal: null })
    expect(acked.size).toBeGreaterThanOrEqual(REQUESTS / 2)
    // Requests after the signal are refused or fail to connect; none is answered with an error status.
    for (const [, answer] of other) expect(answer).toMatch(/^(error |503 )/)
    // A graceful stop hands the whole spool to the store before exiting.
    expect(spoolSegments(dataDir)).toEqual([])

    const second = await startChild(dataDir)
    expect(second.logs.join('\n')).not.toMatch(/replaying spooled spans/)
    await waitForReplay(second.url, batches, acked)
    await expectExactlyOnce(second.url, batches, acked)
    second.proc.kill('SIGTERM')
    await second.exited
  })
})
