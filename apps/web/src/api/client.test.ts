/** The console's one HTTP seam: overloaded reads are asked again after Retry-After; writes never are. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { request } from './client'

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
