import { afterEach, describe, expect, it } from 'vitest'
import { createLogger } from '../logger.js'
import { Lease, type LeaseTiming } from './lease.js'
import { LocalLeaseStore } from './local-leases.js'

// Renewals are driven by hand (`confirm`), on a clock the test moves.
const TIMING: LeaseTiming = { ttlMs: 15_000, renewMs: 3_600_000, marginMs: 5_000 }
const logger = createLogger('error', () => {})

describe('LocalLeaseStore', () => {
  let now = 0
  const clock = () => now
  const started: Lease[] = []
  const lease = async (store: LocalLeaseStore, holder: string) => {
    const l = new Lease('resolver', holder, store, logger, TIMING, clock)
    started.push(l)
    await l.start()
    return l
  }
  afterEach(async () => {
    await Promise.all(started.splice(0).map((l) => l.stop()))
  })

  it('keeps the lease protocol: one holder, taken over only a whole ttl after its last renewal', async () => {
    const store = new LocalLeaseStore(clock)
    const a = await lease(store, 'a')
    const b = await lease(store, 'b')
    expect([a.held, b.held]).toEqual([true, false])
    now += 9_000
    expect([await a.confirm(), await b.confirm()]).toEqual([true, false])
    await a.stop()
    now += 14_000
    expect(await b.confirm()).toBe(false)
    now += 2_000
    expect(await b.confirm()).toBe(true)
    expect((await store.current('resolver'))?.epoch).toBe(2)
    // Back from a restart, `a` waits: `b` renews.
    const again = await lease(store, 'a')
    expect([again.held, await b.confirm()]).toEqual([false, true])
  })

  it('gives an epoch to its first claimer, and nothing for an epoch older than the newest', async () => {
    const store = new LocalLeaseStore(clock)
    expect(await store.claim('job', 1, 'x')).toBe('x')
    expect(await store.claim('job', 1, 'y')).toBe('x')
    expect(await store.claim('job', 2, 'y')).toBe('y')
    expect(await store.claim('job', 1, 'z')).toBeUndefined()
    await store.renew('job', 1, 'x')
    expect(await store.current('job')).toMatchObject({ epoch: 2, holder: 'y' })
  })
})
