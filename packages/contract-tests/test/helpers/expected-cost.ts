import { calcPrice } from '@pydantic/genai-prices'
import type { GroundTruth, LlmCall } from '../../src/ground-truth.js'

/**
 * USD of one ground-truth call priced by genai-prices (the package and version the server prices
 * with), at the capture time; null when genai-prices does not know the model.
 */
function expectedCallCost(call: LlmCall, at: Date): number | null {
  const usage = {
    input_tokens: call.inputTokens,
    cache_read_tokens: call.cachedInputTokens,
    output_tokens: call.outputTokens,
  }
  const price = calcPrice(usage, call.model, { providerId: call.provider, timestamp: at })
  return price === null ? null : price.total_price
}

/** Cost of the run and how many of its calls genai-prices cannot price. */
export function expectedRunCost(truth: GroundTruth): { costUsd: number; unpriced: number } {
  const at = new Date(truth.capturedAt)
  let costUsd = 0
  let unpriced = 0
  for (const call of truth.llmCalls) {
    const cost = expectedCallCost(call, at)
    if (cost === null) unpriced += 1
    else costUsd += cost
  }
  return { costUsd, unpriced }
}
