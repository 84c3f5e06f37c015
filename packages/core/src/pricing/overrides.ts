/**
 * @module pricing/overrides
 * A project's own prices (price overrides with an effective date) applied to model calls: the price
 * in force at each call's start re-prices its tokens with the one cost formula. A cost the client
 * reported itself wins over any price. Spans are never rewritten: the resolver applies overrides when
 * it resolves a trace, and resolves again the traces a changed price touches.
 */
import type { PriceOverride } from '@sightline/schema'
import type { SpanFacts } from '../trace/span-facts.js'
import { costFromTokens } from './cost.js'

export const OVERRIDE_COST_SOURCE = 'override'

/** Applies `overrides` to facts in place; a no-op function when there are none. */
export function overridePricer(overrides: readonly PriceOverride[]): (facts: SpanFacts[]) => void {
  if (overrides.length === 0) return () => {}
  const byModel = new Map<string, Array<{ fromMs: number; override: PriceOverride }>>()
  for (const override of overrides) {
    const list = byModel.get(override.model) ?? []
    list.push({ fromMs: Date.parse(override.effectiveFrom), override })
    byModel.set(override.model, list)
  }
  for (const list of byModel.values()) list.sort((a, b) => a.fromMs - b.fromMs)
  return (facts) => {
    for (const span of facts) {
      if (!span.isLlmCall || span.costSource === 'reported') continue
      const list = byModel.get(span.model)
      if (!list) continue
      let price: PriceOverride | undefined
      for (const entry of list) if (entry.fromMs <= span.startMs) price = entry.override
      if (!price) continue
      span.costUsd = costFromTokens(span, price)
      span.costSource = OVERRIDE_COST_SOURCE
      span.isUnpriced = false
    }
  }
}
