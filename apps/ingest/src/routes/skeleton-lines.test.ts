import { constants, gunzipSync, inflateRawSync } from 'node:zlib'
import type { TraceSkeletonResponseWire } from '@sightline/schema'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { AppError } from '../errors.js'
import { skeletonLines, type SkeletonParts } from './skeleton-lines.js'

const part = (name: string) => ({ trace: { name }, spans: { count: 0 } }) as unknown as TraceSkeletonResponseWire

/** A promise settled by the test, so which part is ready first is decided here, not by timing. */
function later<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

function serve(parts: () => SkeletonParts, logged: unknown[] = []) {
  const app = new Hono()
  let written: Promise<void> | undefined
  app.get('/', async (c) => {
    const out = await skeletonLines(c, 'abc', parts(), (e) => logged.push(e))
    written = out.written
    return out.response
  })
  app.onError((e, c) => (e instanceof AppError ? c.json({ code: e.code }, e.status as 404) : c.json({}, 500)))
  return { app, written: () => written }
}

/** The whole body's lines. */
async function readLines(res: Response, gzip: boolean): Promise<string[]> {
  const chunks: Buffer[] = []
  for await (const chunk of res.body!) chunks.push(Buffer.from(chunk))
  const body = Buffer.concat(chunks)
  return (gzip ? gunzipSync(body) : body).toString().trimEnd().split('\n')
}

describe('skeletonLines', () => {
  it('sends the head as soon as it is ready, flushed through gzip, then the whole', async () => {
    const head = later<TraceSkeletonResponseWire | undefined>()
    const whole = later<TraceSkeletonResponseWire | undefined>()
    const { app } = serve(() => ({ head: head.promise, whole: whole.promise }))
    head.resolve(part('head'))
    const res = await app.request('/', { headers: { 'Accept-Encoding': 'gzip' } })
    expect(res.headers.get('content-encoding')).toBe('gzip')
    const reader = res.body!.getReader()
    // Before the whole exists, the head line can already be inflated from what was flushed (were it
    // not flushed, these reads would wait for the whole, and the test time out).
    const received: Buffer[] = []
    let text = ''
    while (!text.includes('\n')) {
      const r = await reader.read()
      expect(r.done).toBe(false)
      received.push(Buffer.from(r.value!))
      text = gunzipPrefix(Buffer.concat(received))
    }
    expect(JSON.parse(text.split('\n')[0]!)).toMatchObject({ part: 'head', trace: { name: 'head' } })
    whole.resolve(part('whole'))
    const rest = received
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest.push(Buffer.from(r.value))
    const lines = gunzipSync(Buffer.concat(rest)).toString().trimEnd().split('\n')
    expect(lines.map((l) => (JSON.parse(l) as { part: string }).part)).toEqual(['head', 'whole'])
  })

  it('sends the whole alone when it is ready first, or when there is no head', async () => {
    for (const headValue of [part('head'), undefined]) {
      const whole = later<TraceSkeletonResponseWire | undefined>()
      const { app } = serve(() => ({
        head: headValue ? new Promise((r) => setTimeout(() => r(headValue), 50)) : Promise.resolve(undefined),
        whole: whole.promise,
      }))
      whole.resolve(part('whole'))
      const res = await app.request('/')
      expect(await readLines(res, false)).toEqual([JSON.stringify({ part: 'whole', ...part('whole') })])
    }
  })

  it('a failed head only loses the head; a whole that fails after the head ends in an error line', async () => {
    const failedHead = serve(() => ({ head: Promise.reject(new Error('x')), whole: Promise.resolve(part('whole')) }))
    expect(await readLines(await failedHead.app.request('/'), false)).toHaveLength(1)

    const logged: unknown[] = []
    const whole = later<TraceSkeletonResponseWire | undefined>()
    const s = serve(() => ({ head: Promise.resolve(part('head')), whole: whole.promise }), logged)
    const res = await s.app.request('/')
    whole.reject(new Error('store down'))
    const lines = (await readLines(res, false)).map((l) => JSON.parse(l) as { part: string })
    expect(lines.map((l) => l.part)).toEqual(['head', 'error'])
    expect(lines[1]).toEqual({ part: 'error', error: { code: 'internal', message: 'Internal error' } })
    expect(logged).toHaveLength(1)
    await s.written()
  })

  it('answers as any error when the whole fails or is missing before anything was sent', async () => {
    const missing = serve(() => ({ head: Promise.resolve(undefined), whole: Promise.resolve(undefined) }))
    expect((await missing.app.request('/')).status).toBe(404)
    const failed = serve(() => ({ head: Promise.resolve(undefined), whole: Promise.reject(new Error('down')) }))
    expect((await failed.app.request('/')).status).toBe(500)
  })
})

/** Inflates the start of a gzip stream that has not ended (a sync flush ends on a byte boundary). */
function gunzipPrefix(bytes: Buffer): string {
  // zlib's gzip header is 10 bytes (no optional fields).
  if (bytes.length <= 10) return ''
  return inflateRawSync(bytes.subarray(10), { finishFlush: constants.Z_SYNC_FLUSH }).toString()
}
