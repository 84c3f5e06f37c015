/**
 * The models the demo "calls". Names are real ones that @pydantic/genai-prices prices (checked
 * against the bundled table), so ingest derives costs from the real price list. Latency is
 * lognormal time-to-first-token plus a per-output-token rate, roughly what the public APIs show.
 */

export type ModelName = 'gpt-4o' | 'gpt-4o-mini' | 'o3' | 'claude-sonnet-4-20250514' | 'claude-opus-4-20250514'

export interface ModelSpec {
  provider: 'openai' | 'anthropic'
  /** What the provider reports back as `response.model` (a dated snapshot for OpenAI). */
  responseModel: string
  firstTokenMedianMs: number
  /** Lognormal spread of time to first token. */
  sigma: number
  msPerOutputToken: number
  /** Hidden reasoning tokens per visible output token (o-series). */
  reasoningRatio: number
}

export const MODELS: Readonly<Record<ModelName, ModelSpec>> = {
  'gpt-4o': {
    provider: 'openai',
    responseModel: 'gpt-4o-2024-08-06',
    firstTokenMedianMs: 600,
    sigma: 0.4,
    msPerOutputToken: 12,
    reasoningRatio: 0,
  },
  'gpt-4o-mini': {
    provider: 'openai',
    responseModel: 'gpt-4o-mini-2024-07-18',
    firstTokenMedianMs: 350,
    sigma: 0.35,
    msPerOutputToken: 7,
    reasoningRatio: 0,
  },
  o3: {
    provider: 'openai',
    responseModel: 'o3-2025-04-16',
    firstTokenMedianMs: 2500,
    sigma: 0.5,
    msPerOutputToken: 10,
    reasoningRatio: 3,
  },
  'claude-sonnet-4-20250514': {
    provider: 'anthropic',
    responseModel: 'claude-sonnet-4-20250514',
    firstTokenMedianMs: 900,
    sigma: 0.35,
    msPerOutputToken: 15,
    reasoningRatio: 0,
  },
  'claude-opus-4-20250514': {
    provider: 'anthropic',
    responseModel: 'claude-opus-4-20250514',
    firstTokenMedianMs: 1800,
    sigma: 0.4,
    msPerOutputToken: 28,
    reasoningRatio: 0,
  },
}

/** The model the planner switches to during a cost spike. */
export const EXPENSIVE_MODEL: ModelName = 'claude-opus-4-20250514'
