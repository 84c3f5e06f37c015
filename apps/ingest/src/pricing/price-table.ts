import {
  calcPrice,
  type ModelInfo,
  type ModelPrice as GenaiModelPrice,
  type PriceCalculation,
  type Usage,
} from '@pydantic/genai-prices'
import { type ModelPrice } from '@sightline/schema'
import { costFromTokens, type TokenCounts } from '@sightline/core'
import { toGenaiProviderId } from './provider-ids.js'

// Offline by design: genai-prices only touches the network through `updatePrices()` (which
// registers the fetch hook that `calcPrice` would otherwise trigger). Nothing in ingest calls it,
// so prices come from the data bundled with the installed version, named in `cost_source`.
//
// Speed: `calcPrice` re-validates and decomposes usage on every call (~22 µs). We call it once per
// (provider, model, UTC day) to resolve the model's price, then bill with plain arithmetic.
// Measured figures are in price-spans.ts.

interface Tier {
  start: number
  price: number
}
/** A per-Mtok price, optionally tiered on the request's total input tokens (long-context tiers). */
type TokenPrice = number | { base: number; tiers: readonly Tier[] }

/** A model's price as resolved for one UTC day. */
interface ResolvedPrice {
  /** genai-prices ids of what matched, for logs and tests. */
  providerId: string
  modelId: string
  /** Flat per-Mtok prices; null when the model has tiers or units plain arithmetic cannot bill. */
  price: ModelPrice | null
  /** USD for one call; null only when genai-prices rejects the usage (never a silent 0). */
  cost(tokens: TokenCounts, at: Date): number | null
}

export interface PriceTable {
  /** Price for `model` at `at`; null when genai-prices does not know the model or cannot bill tokens. */
  resolve(provider: string, model: string, at: Date): ResolvedPrice | null
  /** Memoised entries, for tests and metrics. */
  readonly size: number
}

const MS_PER_DAY = 86_400_000

// Price keys the token counters we store can make non-zero, beyond the four of ModelPrice. Every
// other key prices a unit we never report (audio, images, searches…), so genai-prices bills it 0.
const NEEDS_PACKAGE = new Set(['requests_kcount', 'output_reasoning_mtok'])

/**
 * The bundled genai-prices table behind a bounded memo keyed by (provider, model, UTC day). Start
 * dates in the data are whole UTC days, so a day's resolution holds for every span of that day.
 *
 * @example
 * const table = createPriceTable()
 * table.resolve('openai', 'gpt-4o', new Date('2025-01-01T00:00:00Z'))?.price?.inputPerMtok // 2.5
 */
export function createPriceTable(options: { maxEntries?: number } = {}): PriceTable {
  const maxEntries = options.maxEntries ?? 4096
  const memo = new Map<string, ResolvedPrice | null>()
  return {
    resolve(provider, model, at) {
      const day = Math.floor(at.getTime() / MS_PER_DAY)
      if (model === '' || !Number.isFinite(day)) return null
      const key = `${day}\u0000${provider}\u0000${model}`
      const hit = memo.get(key)
      if (hit !== undefined) return hit
      const resolved = resolveUncached(provider, model, at)
      // Insertion-order eviction: cheap, and a day's working set of models is small.
      if (memo.size >= maxEntries) {
        const oldest = memo.keys().next()
        if (oldest.done !== true) memo.delete(oldest.value)
      }
      memo.set(key, resolved)
      return resolved
    },
    get size() {
      return memo.size
    },
  }
}

function resolveUncached(provider: string, model: string, at: Date): ResolvedPrice | null {
  const providerId = toGenaiProviderId(provider)
  const found = safeCalc({}, model, providerId, at)
  if (found === null) return null
  const prices = found.model_price
  // Nothing to bill our token counters with (e.g. an audio-hours model): unpriced, not $0.
  if (prices.input_mtok === undefined && prices.output_mtok === undefined && prices.requests_kcount === undefined) {
    return null
  }
  const ids = { providerId: found.provider.id, modelId: found.model.id }
  if (hasTimeOfDayPrices(found.model) || Object.keys(prices).some((k) => NEEDS_PACKAGE.has(k))) {
    return { ...ids, price: null, cost: (tokens, when) => packageCost(tokens, model, providerId, when) }
  }
  const table = {
    input: tokenPrice(prices.input_mtok),
    output: tokenPrice(prices.output_mtok),
    cacheRead: tokenPrice(prices.cache_read_mtok),
    cacheWrite: tokenPrice(prices.cache_write_mtok),
  }
  const values = [table.input, table.output, table.cacheRead, table.cacheWrite]
  if (values.every((v) => v === null || typeof v === 'number')) {
    const flat: ModelPrice = {
      inputPerMtok: pick(table.input, 0),
      outputPerMtok: pick(table.output, 0),
      cacheReadPerMtok: table.cacheRead === null ? null : pick(table.cacheRead, 0),
      cacheWritePerMtok: table.cacheWrite === null ? null : pick(table.cacheWrite, 0),
    }
    return { ...ids, price: flat, cost: (tokens) => costFromTokens(tokens, flat) }
  }
  return {
    ...ids,
    price: null,
    cost(tokens) {
      // genai-prices applies a tier to the whole request once its total input crosses `start`.
      const input = inputTotal(tokens)
      return costFromTokens(tokens, {
        inputPerMtok: pick(table.input, input),
        outputPerMtok: pick(table.output, input),
        cacheReadPerMtok: table.cacheRead === null ? null : pick(table.cacheRead, input),
        cacheWritePerMtok: table.cacheWrite === null ? null : pick(table.cacheWrite, input),
      })
    },
  }
}

/**
 * Our counters as genai-prices usage. Its `input_tokens` is the total INCLUDING cache reads and
 * writes (README, "Cached input tokens"), the same convention as OTel and our rows, so the counters
 * map one to one. Reasoning is a subset of output there too (`output_reasoning_tokens` is a child
 * unit of `output_tokens`). Clamped so inconsistent producers cannot make the package throw.
 */
export function toGenaiUsage(tokens: TokenCounts): Usage {
  const output = Math.max(0, tokens.outputTokens)
  return {
    input_tokens: inputTotal(tokens),
    cache_read_tokens: Math.max(0, tokens.cachedInputTokens),
    cache_write_tokens: Math.max(0, tokens.cacheWriteTokens),
    output_tokens: output,
    output_reasoning_tokens: Math.min(output, Math.max(0, tokens.reasoningTokens)),
  }
}

// Same floor as costFromTokens: cache counts never exceed the input total.
function inputTotal(tokens: TokenCounts): number {
  const cached = Math.max(0, tokens.cachedInputTokens) + Math.max(0, tokens.cacheWriteTokens)
  return Math.max(tokens.inputTokens, cached)
}

function packageCost(tokens: TokenCounts, model: string, providerId: string | undefined, at: Date): number | null {
  return safeCalc(toGenaiUsage(tokens), model, providerId, at)?.total_price ?? null
}

// The package throws on malformed price data or usage; for billing that is "cannot price".
function safeCalc(usage: Usage, model: string, providerId: string | undefined, at: Date): PriceCalculation | null {
  try {
    return calcPrice(usage, model, providerId === undefined ? { timestamp: at } : { providerId, timestamp: at })
  } catch {
    return null
  }
}

function hasTimeOfDayPrices(model: ModelInfo): boolean {
  return Array.isArray(model.prices) && model.prices.some((p) => p.constraint?.type === 'time_of_date')
}

function tokenPrice(value: GenaiModelPrice[string]): TokenPrice | null {
  if (value === undefined) return null
  if (typeof value === 'number') return value
  return { base: value.base, tiers: [...value.tiers].sort((a, b) => a.start - b.start) }
}

function pick(price: TokenPrice | null, input: number): number {
  if (price === null) return 0
  if (typeof price === 'number') return price
  let current = price.base
  for (const tier of price.tiers) if (input > tier.start) current = tier.price
  return current
}
