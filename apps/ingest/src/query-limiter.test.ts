import { afterEach, describe, expect, it, vi } from 'vitest'
import { AppError } from './errors.js'
import { QueryLimiter } from './query-limiter.js'

const limits = { maxConcurrent: 3, maxConcurrentPerProject: 2, maxQueued: 2, queueTimeoutMs: 1_000 }

/** The state of `promise` once pending callbacks have run. */
async function settled<T>(promise: Promise<T>): Promise<'pending' | 'resolved' | 'rejected'> {
  let state: 'pending' | 'resolved' | 'rejected' = 'pending'
  promise.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  )
  await new Promise((resolve) => setImmediate(resolve))
  return state
}

afterEach(() => vi.useRealTimers())

describe('QueryLimiter', () => {
  it('runs up to the per-project limit, queues briefly, then answers 503 + Retry-After', async () => {
    const limiter = new QueryLimiter(limits)
    const running = [await limiter.acquire('a'), await limiter.acquire('a')]
    const queued = [limiter.acquire('a'), limiter.acquire('a')]
    const refused = await limiter.acquire('a').catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(AppError)
    expect(refused).toMatchObject({ status: 503, code: 'overloaded', retryAfterSeconds: 1 })
    expect(await settled(queued[0]!)).toBe('pending')
    running[0]!()
    expect(await settled(queued[0]!)).toBe('resolved')
    expect(await settled(queued[1]!)).toBe('pending')
  })

  it('lets another project run while one project waits, within the overall limit', async () => {
    const limiter = new QueryLimiter(limits)
    await limiter.acquire('a')
    await limiter.acquire('a')
    const waitingA = limiter.acquire('a')
    const releaseB = await limiter.acquire('b')
    // Overall limit (3) reached: b queues too, behind a.
    const waitingB = limiter.acquire('b')
    expect(await settled(waitingB)).toBe('pending')
    releaseB()
    // a still has 2 running, so the freed slot goes to b, not to the older a.
    expect(await settled(waitingB)).toBe('resolved')
    expect(await settled(waitingA)).toBe('pending')
  })

  it('gives up on a queued request after the queue time-out', async () => {
    vi.useFakeTimers()
    const limiter = new QueryLimiter({ ...limits, maxConcurrentPerProject: 1 })
    const release = await limiter.acquire('a')
    const outcome = limiter.acquire('a').catch((err: unknown) => err)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(await outcome).toMatchObject({ status: 503 })
    // The timed-out waiter left the queue: the slot it would have taken is free for a new caller.
    release()
    await limiter.acquire('a')
  })

  it('frees a slot once, however often release is called', async () => {
    const limiter = new QueryLimiter({ ...limits, maxConcurrentPerProject: 1 })
    const release = await limiter.acquire('a')
    release()
    release()
    await limiter.acquire('a')
    expect(await settled(limiter.acquire('a'))).toBe('pending')
  })
})
