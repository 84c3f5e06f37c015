/**
 * Langfuse `usage_details`: free-form keys, where Langfuse counts every key whose name contains
 * `input` as input and `output` as output, and sums all keys into the total unless a `total` is
 * sent. Langfuse's own integrations therefore send `input` WITHOUT its cached part (the detail keys
 * sit beside it), but other clients copy OpenAI's inclusive `prompt_tokens` into `input`. A sent
 * `total` tells which: the reading whose parts add up to it is the one the client meant.
 */
import type { AttrValue } from '../types.js'
import { toInt, type JsonObject } from './attributes.js'
import type { TokenUsage } from './usage.js'

const INPUT_KEYS = ['input', 'prompt_tokens', 'input_tokens']
const OUTPUT_KEYS = ['output', 'completion_tokens', 'output_tokens']

const isCache = (key: string) => key.includes('cache')
const isCacheWrite = (key: string) => isCache(key) && (key.includes('creation') || key.includes('write'))
const isInputDetail = (key: string) =>
  !INPUT_KEYS.includes(key) && (key.startsWith('input') || key.startsWith('prompt') || isCache(key))
const isOutputDetail = (key: string) =>
  !OUTPUT_KEYS.includes(key) && (key.startsWith('output') || key.startsWith('completion') || key.includes('reasoning'))

/**
 * Readings in order of preference when several add up (e.g. no cached tokens at all): Langfuse's
 * own (details beside both), then the shapes seen from OpenAI-style clients.
 */
const READINGS: ReadonlyArray<{ inputDetailsInside: boolean; outputDetailsInside: boolean }> = [
  { inputDetailsInside: false, outputDetailsInside: false },
  { inputDetailsInside: false, outputDetailsInside: true },
  { inputDetailsInside: true, outputDetailsInside: false },
  { inputDetailsInside: true, outputDetailsInside: true },
]

export function fromLangfuseUsage(details: JsonObject): TokenUsage {
  const entries = Object.entries(details).map(([key, value]): [string, number] => [
    key.toLowerCase(),
    toInt(value as AttrValue) ?? 0,
  ])
  const sum = (test: (key: string) => boolean) =>
    entries.filter(([key]) => test(key)).reduce((n, [, value]) => n + value, 0)
  const first = (keys: readonly string[]) => entries.find(([key]) => keys.includes(key))?.[1] ?? 0
  const input = first(INPUT_KEYS)
  const output = first(OUTPUT_KEYS)
  const inputDetails = sum(isInputDetail)
  const outputDetails = sum(isOutputDetail)
  const total = entries.find(([key]) => key === 'total')
  const reading =
    (total &&
      READINGS.find(
        (r) =>
          input + output + (r.inputDetailsInside ? 0 : inputDetails) + (r.outputDetailsInside ? 0 : outputDetails) ===
          total[1],
      )) ||
    READINGS[0]!
  return {
    inputTokens: input + (reading.inputDetailsInside ? 0 : inputDetails),
    outputTokens: output + (reading.outputDetailsInside ? 0 : outputDetails),
    cachedInputTokens: sum((key) => isCache(key) && !isCacheWrite(key)),
    cacheWriteTokens: sum(isCacheWrite),
    reasoningTokens: sum((key) => key.includes('reasoning')),
  }
}
