/**
 * Price overrides as the resolver and the query API apply them (core `overridePricer`), cached per
 * project: every resolution asks. A changed override drops the cache entry at once (same process).
 */
import type { SpanFacts } from '@sightline/core'
import { overridePricer } from '@sightline/core'
import type { PriceOverrideRepository } from '../db/repositories/prices.js'

const TTL_MS = 30_000

export class PriceOverrideLookup {
  private readonly cache = new Map<
    string,
    { apply: (facts: SpanFacts[]) => void; expiresAt: number; overrides: string }
  >()

  constructor(private readonly prices: Pick<PriceOverrideRepository, 'list'>) {}

  async pricerFor(projectId: string): Promise<(facts: SpanFacts[]) => void> {
    const cached = this.cache.get(projectId)
    if (cached && cached.expiresAt > Date.now()) return cached.apply
    const list = await this.prices.list(projectId)
    const overrides = JSON.stringify(list)
    // Unchanged overrides keep their pricer: its identity tells the trace reader that a kept
    // resolution is still priced right.
    const apply = cached?.overrides === overrides ? cached.apply : overridePricer(list)
    if (this.cache.size > 10_000) this.cache.clear()
    this.cache.set(projectId, { apply, expiresAt: Date.now() + TTL_MS, overrides })
    return apply
  }

  invalidate(projectId: string): void {
    this.cache.delete(projectId)
  }
}
