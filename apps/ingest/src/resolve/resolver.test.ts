import { describe, expect, it } from 'vitest'
import type { QueueEntry, ResolutionRepository } from '../db/repositories/resolution.js'
import { createLogger } from '../logger.js'
import { createMetrics } from '../metrics.js'
import type { PriceOverrideLookup } from './overrides.js'
import { DEFAULT_RESOLVER_OPTIONS, TraceResolver } from './resolver.js'

/**
 * A resolver whose store is a queue in memory and whose batches are recorded instead of resolved.
 * `stepBudgetMs: 0` makes every step resolve exactly one batch.
 */
function harness(queue: QueueEntry[]) {
  let clock = 1_000_000
  const repository = {
    queued: async (_since: string, after: QueueEntry | undefined) =>
      after ? [] : queue.splice(0, queue.length).map((e) => ({ ...e })),
    storeNowMs: async () => clock,
    readState: async () => undefined,
    writeState: async () => undefined,
  } as unknown as ResolutionRepository
  const metrics = createMetrics()
  const resolver = new TraceResolver(
    repository,
    { invalidate: () => undefined } as unknown as PriceOverrideLookup,
    metrics,
    createLogger('silent'),
    { held: true },
    { ...DEFAULT_RESOLVER_OPTIONS, quietMs: 0, maxDelayMs: 0, batchSize: 2, pollMs: 0, stepBudgetMs: 0 },
    () => clock,
  )
  const batches: string[][] = []
  resolver.resolveBatch = async (projectId, traceIds) => {
    batches.push(traceIds.map((t) => `${projectId}/${t}`))
  }
  // The loop's step, as its timer runs it.
  const step = async () => {
    clock += 1_000
    await (resolver as unknown as { step(): Promise<void> }).step()
  }
  return { resolver, batches, step, metrics, queue }
}

const entry = (projectId: string, traceId: string, insertedMs = 999_000): QueueEntry =>
  ({ projectId, traceId, insertedMs, reason: 'spans' }) as QueueEntry

describe('trace resolver steps', () => {
  it('works through a backlog a batch per step, projects in turn, reading the queue between steps', async () => {
    const h = harness([])
    h.resolver.notify(['a\u0000t1', 'a\u0000t2', 'a\u0000t3', 'a\u0000t4', 'a\u0000t5', 'b\u0000u1'])
    await h.step()
    await h.step()
    expect(h.batches).toEqual([['a/t1', 'a/t2'], ['b/u1']])
    // The queue names two traces still pending, which join their entries (resolved once), and one
    // resolved already, which is resolved again (its queue entry may be a later insert).
    h.queue.push(entry('a', 't3'), entry('a', 't5'), entry('b', 'u1'))
    for (let i = 0; i < 5; i++) await h.step()
    expect(h.batches.slice(2)).toEqual([['a/t3', 'a/t4'], ['b/u1'], ['a/t5']])
    expect(
      (await h.metrics.registry.getSingleMetric('sightline_resolver_pending_traces')?.get())?.values[0]?.value,
    ).toBe(0)
  })

  it('resolves everything at once when drained', async () => {
    const h = harness([])
    h.resolver.notify(['a\u0000t1', 'a\u0000t2', 'a\u0000t3', 'b\u0000u1'])
    await h.resolver.drain()
    expect(h.batches.flat().sort()).toEqual(['a/t1', 'a/t2', 'a/t3', 'b/u1'])
  })
})
