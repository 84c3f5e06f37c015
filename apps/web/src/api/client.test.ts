/** The console's one HTTP seam: overloaded reads are asked again after Retry-After; writes never are. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { encodeSpanColumns, TRACE_VIEW_HEAD_SPANS } from '@sightline/schema'
import { z } from 'zod'
import { testSpan } from '../../test/span-factory'
import { testTrace } from '../../test/trace-summary-factory'
import { api, request } from './client'

const busy = () =>
  new Response(JSON.stringify({ error: { code: 'overloaded', message: 'busy' } }), {
    status: 503,
    headers: { 'Retry-After': '1' },
  })
const ok = () => new Response(JSON.stringify({ n: 1 }), { status: 200 })

describe('request', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  it('asks again after Retry-After when a read finds the server busy', async () => {
    vi.useFakeTimers()
    const fetch = vi.fn().mockResolvedValueOnce(busy()).mockResolvedValueOnce(ok())
    vi.stubGlobal('fetch', fetch)
    const pending = request('load n', '/api/v1/n', z.object({ n: z.number() }))
    await vi.advanceTimersByTimeAsync(999)
    expect(fetch).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(1)
    await expect(pending).resolves.toEqual({ n: 1 })
    expect(fetch).toHaveBeenCalledTimes(2)
  })

  it('gives up after a few tries, with the server’s message', async () => {
    vi.useFakeTimers()
    const fetch = vi.fn().mockImplementation(async () => busy())
    vi.stubGlobal('fetch', fetch)
    const pending = request('load n', '/api/v1/n', z.object({ n: z.number() }))
    const outcome = expect(pending).rejects.toThrow('Failed to load n: busy')
    await vi.advanceTimersByTimeAsync(10_000)
    await outcome
    expect(fetch).toHaveBeenCalledTimes(4)
  })

  it('never repeats a write', async () => {
    const fetch = vi.fn().mockImplementation(async () => busy())
    vi.stubGlobal('fetch', fetch)
    await expect(request('save n', '/api/v1/n', null, { method: 'PUT', body: '{}' })).rejects.toThrow('busy')
    expect(fetch).toHaveBeenCalledTimes(1)
  })
})

describe('a skeleton in lines (?head=)', () => {
  afterEach(() => vi.unstubAllGlobals())
  const spans = [testSpan('a', '', 0, 10), testSpan('b', 'a', 1, 2), testSpan('c', 'a', 3, 4)]
  const line = (part: string, n: number) =>
    `${JSON.stringify({ part, trace: testTrace({ spanCount: 3 }), spans: encodeSpanColumns(spans.slice(0, n)) })}\n`
  /** The body cut into arbitrary pieces, as the network delivers it. */
  const streamed = (text: string, cuts: number[]) =>
    new Response(
      new ReadableStream({
        start(controller) {
          const bytes = new TextEncoder().encode(text)
          let at = 0
          for (const cut of [...cuts, bytes.length]) {
            controller.enqueue(bytes.slice(at, cut))
            at = cut
          }
          controller.close()
        },
      }),
      { status: 200, headers: { 'Content-Type': 'application/x-ndjson' } },
    )

  it('hands over the head, then resolves with the whole, whatever the chunking', async () => {
    const body = line('head', 1) + line('whole', 3)
    for (const cuts of [[], [5], [body.indexOf('\n') + 1], [body.indexOf('\n'), body.length - 3]]) {
      vi.stubGlobal('fetch', vi.fn().mockResolvedValue(streamed(body, cuts)))
      const heads: number[] = []
      const whole = await api.getTraceSkeleton('ab'.repeat(16), undefined, (head) => {
        expect(head.complete).toBe(false)
        heads.push(head.spans.length)
      })
      expect(whole.complete).toBe(true)
      expect(whole.spans.map((s) => s.spanId)).toEqual(['a', 'b', 'c'])
      expect(heads).toEqual([1])
      const [url] = vi.mocked(fetch).mock.calls[0]!
      expect(url).toBe(`/api/v1/traces/${'ab'.repeat(16)}/skeleton?head=${TRACE_VIEW_HEAD_SPANS}`)
    }
  })

  it('fails on an error line, or when the answer ends before the whole', async () => {
    const error = `${JSON.stringify({ part: 'error', error: { code: 'internal', message: 'Internal error' } })}\n`
    for (const [body, message] of [
      [line('head', 1) + error, 'Internal error'],
      [line('head', 1), 'ended early'],
      [line('head', 1).slice(0, 40), 'ended early'],
    ] as const) {
      vi.stubGlobal('fetch', vi.fn().mockResolvedValue(streamed(body, [])))
      await expect(api.getTraceSkeleton('ab'.repeat(16), undefined, () => {})).rejects.toThrow(message)
    }
  })
})
