/**
 * A scripted model: no network, deterministic completions with realistic token usage and latency.
 * Each call is recorded with the SDK's withLlmCall, so the span looks like a real provider call.
 */
import { withLlmCall, type ChatMessage } from '@sightline/sdk'
import { sleep } from '../lib/config.js'
import { intBetween, lognormal, type Rng } from '../lib/rng.js'
import { MODELS, type ModelName } from './catalog.js'

export interface ChatRequest {
  model: ModelName
  system: string
  user: string
  /** The completion to "generate" (the script decides what the model says). */
  completion: string
  rng: Rng
  timeScale: number
  /** Repeats the system prompt this many times: the prompt-bloat bug of a cost spike. */
  promptBloat?: number
  /** Latency multiplier, for a release that regressed. */
  slowdown?: number
  /** No prompt cache (a release that broke the cache prefix). */
  noCache?: boolean
  finishReason?: 'stop' | 'tool_calls'
}

/** ~4 characters per token, the usual rule of thumb for English text. */
const estimateTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4))

export async function chat(request: ChatRequest): Promise<string> {
  const spec = MODELS[request.model]
  const system = request.system.repeat(request.promptBloat ?? 1)
  const input: ChatMessage[] = [
    { role: 'system', content: system },
    { role: 'user', content: request.user },
  ]
  const finishReason = request.finishReason ?? 'stop'
  return withLlmCall({ model: request.model, provider: spec.provider, input }, async (call) => {
    const { rng } = request
    const systemTokens = estimateTokens(system)
    const inputTokens = systemTokens + estimateTokens(request.user) + intBetween(rng, 4, 12)
    const visibleOutput = estimateTokens(request.completion) + intBetween(rng, 0, 6)
    const reasoningTokens = Math.round(visibleOutput * spec.reasoningRatio * (0.6 + rng() * 0.8))
    const outputTokens = visibleOutput + reasoningTokens
    // Providers cache whole 128/1024-token prefix blocks; the system prompt is the stable prefix.
    const warm = !request.noCache && rng() < 0.7
    const cachedInputTokens = warm ? Math.floor(systemTokens / 128) * 128 : 0
    const cacheWriteTokens = spec.provider === 'anthropic' && !warm && !request.noCache ? systemTokens : 0

    const latencyMs =
      (lognormal(rng, spec.firstTokenMedianMs, spec.sigma) + outputTokens * spec.msPerOutputToken) *
      (request.slowdown ?? 1)
    await sleep(latencyMs, request.timeScale)

    call.record({
      responseModel: spec.responseModel,
      usage: {
        inputTokens,
        outputTokens,
        cachedInputTokens,
        ...(cacheWriteTokens > 0 ? { cacheWriteTokens } : {}),
        ...(reasoningTokens > 0 ? { reasoningTokens } : {}),
      },
      output: request.completion,
      finishReasons: [finishReason],
    })
    return request.completion
  })
}
