import { readFileSync } from 'node:fs'
import { calcPrice, findProvider } from '@pydantic/genai-prices'
import type { TokenCounts } from '@sightline/core'
import { describe, expect, it } from 'vitest'
import { GENAI_PRICES_SOURCE } from './genai-prices-version.js'
import { createPriceTable, toGenaiUsage } from './price-table.js'
import { toGenaiProviderId } from './provider-ids.js'

const tokens = (t: Partial<TokenCounts>): TokenCounts => ({
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
  ...t,
})
const jan2025 = new Date('2025-01-15T12:00:00Z')

describe('createPriceTable', () => {
  it('resolves gpt-4o to the bundled price ($2.50 in, $1.25 cached, $10 out per Mtok)', () => {
    const resolved = createPriceTable().resolve('openai', 'gpt-4o', jan2025)
    expect(resolved?.price).toEqual({
      inputPerMtok: 2.5,
      outputPerMtok: 10,
      cacheReadPerMtok: 1.25,
      cacheWritePerMtok: null,
    })
  })

  it('prices o3 at the price in force at the timestamp (cut on 2025-06-10)', () => {
    const table = createPriceTable()
    const million = tokens({ inputTokens: 1_000_000, outputTokens: 1_000_000 })
    const before = new Date('2025-06-09T23:59:59Z')
    const after = new Date('2025-06-10T00:00:00Z')
    // Bundled data: $10 in + $40 out before, $2 in + $8 out from the start date.
    expect(table.resolve('openai', 'o3', before)?.cost(million, before)).toBeCloseTo(50, 10)
    expect(table.resolve('openai', 'o3', after)?.cost(million, after)).toBeCloseTo(10, 10)
  })

  it('bills the long-context tier on the whole request once input crosses the threshold', () => {
    const table = createPriceTable()
    const at = new Date('2025-09-01T00:00:00Z')
    const small = tokens({ inputTokens: 100_000 })
    const large = tokens({ inputTokens: 300_000 })
    const smallCost = table.resolve('google', 'gemini-2.5-pro', at)?.cost(small, at)
    const largeCost = table.resolve('google', 'gemini-2.5-pro', at)?.cost(large, at)
    // gemini-2.5-pro input: $1.25/Mtok up to 200k, $2.50/Mtok for the whole prompt beyond.
    expect(smallCost).toBeCloseTo(0.125, 12)
    expect(largeCost).toBeCloseTo(0.75, 12)
  })

  it('returns null for unknown models and an empty model', () => {
    const table = createPriceTable()
    expect(table.resolve('', 'mock-model-id', jan2025)).toBeNull()
    expect(table.resolve('openai', 'mock-model-id', jan2025)).toBeNull()
    expect(table.resolve('openai', '', jan2025)).toBeNull()
  })

  it('memoises per (provider, model, UTC day) and stays within its bound', () => {
    const table = createPriceTable({ maxEntries: 2 })
    table.resolve('openai', 'gpt-4o', new Date('2025-01-01T01:00:00Z'))
    table.resolve('openai', 'gpt-4o', new Date('2025-01-01T23:00:00Z'))
    expect(table.size).toBe(1)
    table.resolve('openai', 'gpt-4o', new Date('2025-01-02T01:00:00Z'))
    table.resolve('openai', 'gpt-4o-mini', new Date('2025-01-02T01:00:00Z'))
    expect(table.size).toBe(2)
  })

  // The fast path re-implements genai-prices' arithmetic; hold it to the package on every model.
  it('agrees with calcPrice for every bundled model of the main providers', () => {
    const table = createPriceTable({ maxEntries: 100_000 })
    const usages = [
      tokens({
        inputTokens: 5200,
        outputTokens: 1800,
        cachedInputTokens: 1000,
        cacheWriteTokens: 700,
        reasoningTokens: 400,
      }),
      tokens({ inputTokens: 300_000, outputTokens: 2000, cachedInputTokens: 50_000 }),
    ]
    const dates = [new Date('2024-06-01T10:00:00Z'), new Date('2025-09-01T03:00:00Z')]
    let compared = 0
    for (const providerId of ['openai', 'anthropic', 'google', 'aws', 'azure', 'mistral', 'groq', 'deepseek', 'x-ai']) {
      for (const model of findProvider({ providerId })?.models ?? []) {
        for (const at of dates) {
          for (const usage of usages) {
            const expected = calcPrice(toGenaiUsage(usage), model.id, { providerId, timestamp: at })
            const actual = table.resolve(providerId, model.id, at)?.cost(usage, at) ?? null
            if (expected === null || actual === null) continue
            expect(actual, `${providerId}/${model.id}`).toBeCloseTo(expected.total_price, 12)
            compared++
          }
        }
      }
    }
    expect(compared).toBeGreaterThan(500)
  })
})

describe('toGenaiProviderId', () => {
  it.each([
    ['openai', 'openai'],
    ['openai.chat', 'openai'],
    ['anthropic.messages', 'anthropic'],
    ['gcp.vertex_ai', 'google'],
    ['google.generative-ai', 'google'],
    ['aws.bedrock', 'aws'],
    ['amazon-bedrock', 'aws'],
    ['azure.ai.openai', 'azure'],
    ['x_ai', 'x-ai'],
    ['groq.chat', 'groq'],
    ['mistral_ai', 'mistral'],
  ])('%s → %s', (name, id) => {
    expect(toGenaiProviderId(name)).toBe(id)
  })

  it('leaves empty and unknown providers to model matching', () => {
    expect(toGenaiProviderId('')).toBeUndefined()
    expect(toGenaiProviderId('mock-provider')).toBeUndefined()
  })
})

describe('GENAI_PRICES_SOURCE', () => {
  it('names the version pinned in package.json', () => {
    const manifest: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
    const pinned = (manifest as { dependencies: Record<string, string> }).dependencies['@pydantic/genai-prices']
    expect(GENAI_PRICES_SOURCE).toBe(`genai-prices@${pinned}`)
  })
})
