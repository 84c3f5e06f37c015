/**
 * Price overrides as the resolver and the query API apply them (core `overridePricer`), cached per
 * project: every resolution asks. A changed override drops the cache entry at once (same process);
 * another process's change is read within TTL_MS and the next call after it.
 */
import type { SpanFacts } from '@sightline/core'
import { overridePricer } from '@sightline/core'
import type { PriceOverrideRepository } from '../db/repositories/prices.js'

const TTL_MS = 30_000

type Pricer = (facts: SpanFacts[]) => void

export class PriceOverrideLookup {
  private readonly cache = new Map<string, { apply: Pricer; expiresAt: number; overrides: string }>()
  /** The list being read per project: one read at a time. */
  private readonly refreshing = new Map<string, Promise<Pricer>>()
  /** Bumped by `invalidate`: a list read before it must not be cached after it. */
  private readonly generations = new Map<string, number>()

  constructor(private readonly prices: Pick<PriceOverrideRepository, 'list'>) {}

  /**
   * The project's pricer. Past its time a cached pricer still serves while the list is read again in the
   * background, so no request waits for that read (it was a query on a trace open's path every 30 s).
   */
  async pricerFor(projectId: string): Promise<Pricer> {
    const cached = this.cache.get(projectId)
    if (!cached) return this.refresh(projectId)
    if (cached.expiresAt <= Date.now()) this.refresh(projectId).catch(() => {})
    return cached.apply
  }

  invalidate(projectId: string): void {
    this.cache.delete(projectId)
    this.refreshing.delete(projectId)
    this.generations.set(projectId, (this.generations.get(projectId) ?? 0) + 1)
  }

  private refresh(projectId: string): Promise<Pricer> {
    const running = this.refreshing.get(projectId)
    if (running) return running
    const generation = this.generations.get(projectId) ?? 0
    const read = (async () => {
      const list = await this.prices.list(projectId)
      const overrides = JSON.stringify(list)
      const cached = this.cache.get(projectId)
      // Unchanged overrides keep their pricer: its identity tells the trace reader that a kept
      // resolution is still priced right.
      const apply = cached?.overrides === overrides ? cached.apply : overridePricer(list)
      if ((this.generations.get(projectId) ?? 0) === generation) {
        if (this.cache.size > 10_000) this.cache.clear()
        this.cache.set(projectId, { apply, expiresAt: Date.now() + TTL_MS, overrides })
      }
      return apply
    })()
    const forget = () => {
      if (this.refreshing.get(projectId) === read) this.refreshing.delete(projectId)
    }
    read.then(forget, forget)
    this.refreshing.set(projectId, read)
    return read
  }
}
