/**
 * Leases over the real store (src/coordination/lease.ts): one holder at a time, a dead holder's
 * lease taken over only after it expired by the store's clock, concurrent claims of one epoch won by
 * one replica that every claimer agrees on, and a restarted replica taking its own lease back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Lease, type LeaseTiming } from '../../src/coordination/lease.js'
import { LeaseRepository } from '../../src/db/repositories/leases.js'
import { createLogger } from '../../src/logger.js'
import { startTestServer, type TestServer } from '../helpers/server.js'

const TIMING: LeaseTiming = { ttlMs: 1_500, renewMs: 300, marginMs: 500 }
const logger = createLogger('error', () => {})
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('leases', () => {
  let server: TestServer
  let repository: LeaseRepository
  const running: Lease[] = []
  const lease = (name: string, holder: string) => {
    const l = new Lease(name, holder, repository, logger, TIMING)
    running.push(l)
    return l
  }

  beforeAll(async () => {
    server = await startTestServer()
    repository = new LeaseRepository(server.deps.store)
  })
  afterAll(async () => {
    await Promise.all(running.map((l) => l.stop()))
    await server?.stop()
  })

  it('has one holder at a time; another takes over only once the holder missed renewals for a whole ttl', async () => {
    const a = lease('job-a', 'replica-a')
    const b = lease('job-a', 'replica-b')
    await a.start()
    await b.start()
    expect([a.held, b.held]).toEqual([true, false])
    await sleep(TIMING.ttlMs)
    expect([a.held, b.held]).toEqual([true, false])

    const changes: boolean[] = []
    b.onChange((held) => changes.push(held))
    const stoppedAt = performance.now()
    await a.stop()
    expect(a.held).toBe(false)
    while (!b.held && performance.now() - stoppedAt < 10 * TIMING.ttlMs) await sleep(50)
    expect(b.held).toBe(true)
    expect(performance.now() - stoppedAt).toBeGreaterThanOrEqual(TIMING.ttlMs - TIMING.renewMs)
    expect(changes).toEqual([true])
    expect((await repository.current('job-a'))?.holder).toBe('replica-b')
  })

  it('gives an epoch to exactly one of many concurrent claimers, and each claimer reads the same winner', async () => {
    const holders = Array.from({ length: 6 }, (_, i) => `claimer-${i}`)
    const winners = await Promise.all(holders.map((h) => repository.claim('job-race', 1, h)))
    expect(new Set(winners).size).toBe(1)
    expect(holders).toContain(winners[0])
    const leases = holders.map((h) => lease('job-race-2', h))
    await Promise.all(leases.map((l) => l.start()))
    expect(leases.filter((l) => l.held)).toHaveLength(1)
  })

  it('is taken back at once by a restarted replica with the same identity', async () => {
    const first = lease('job-restart', 'replica-r')
    await first.start()
    expect(first.held).toBe(true)
    await first.stop()
    const rival = lease('job-restart', 'replica-s')
    await rival.start()
    expect(rival.held).toBe(false)
    const restarted = lease('job-restart', 'replica-r')
    await restarted.start()
    expect(restarted.held).toBe(true)
    expect((await repository.current('job-restart'))?.epoch).toBe(1)
  })
})
