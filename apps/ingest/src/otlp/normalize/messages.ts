/**
 * Span input and output as JSON text: what was sent to / returned by the model, tool or step, in
 * the client's own shape. Normalising message schemas across conventions is left to readers; here
 * fidelity matters more than uniformity. First present source wins (langfuse > OTel > OpenInference
 * > traceloop > AI SDK, as in the semconv map).
 */
import * as K from '@sightline/schema/semconv'
import type { AttrValue, Attributes } from '../types.js'
import { adkContent } from './adk.js'
import { firstPresent, toJsonText } from './attributes.js'
import { rebuildIndexed, unwrapSingleKey } from './indexed-keys.js'

type Source = (attrs: Attributes) => AttrValue | undefined

const key =
  (name: string): Source =>
  (attrs) =>
    firstPresent(attrs, [name])

const indexed =
  (prefix: string, wrapper?: string): Source =>
  (attrs) => {
    const items = rebuildIndexed(attrs, prefix)
    return items && wrapper ? unwrapSingleKey(items, wrapper) : items
  }

/** Mastra writes `mastra.<span type>.input` / `.output`. */
const mastra =
  (direction: 'input' | 'output'): Source =>
  (attrs) => {
    const pattern = new RegExp(`^mastra\\.[a-z_]+\\.${direction}$`)
    const match = Object.keys(attrs).find((name) => pattern.test(name))
    return match === undefined ? undefined : firstPresent(attrs, [match])
  }

/** ADK's request/response JSON (`"{}"` on its tool spans, where the tool keys hold the content). */
const adk =
  (name: string): Source =>
  (attrs) =>
    adkContent(attrs, name)

const INPUT_SOURCES: readonly Source[] = [
  key(K.ATTR_LANGFUSE_OBSERVATION_INPUT),
  key(K.ATTR_GEN_AI_INPUT_MESSAGES),
  key(K.ATTR_GEN_AI_PROMPT),
  indexed(K.ATTR_GEN_AI_PROMPT),
  indexed(K.ATTR_OI_INPUT_MESSAGES, 'message'),
  key(K.ATTR_OI_INPUT_VALUE),
  key(K.ATTR_TRACELOOP_ENTITY_INPUT),
  key(K.ATTR_AI_PROMPT_MESSAGES),
  key(K.ATTR_AI_PROMPT),
  mastra('input'),
  adk(K.ATTR_ADK_LLM_REQUEST),
  adk(K.ATTR_ADK_TOOL_CALL_ARGS),
]

const OUTPUT_SOURCES: readonly Source[] = [
  key(K.ATTR_LANGFUSE_OBSERVATION_OUTPUT),
  key(K.ATTR_GEN_AI_OUTPUT_MESSAGES),
  key(K.ATTR_GEN_AI_COMPLETION),
  indexed(K.ATTR_GEN_AI_COMPLETION),
  indexed(K.ATTR_OI_OUTPUT_MESSAGES, 'message'),
  key(K.ATTR_OI_OUTPUT_VALUE),
  key(K.ATTR_TRACELOOP_ENTITY_OUTPUT),
  key(K.ATTR_AI_RESPONSE_TEXT),
  key(K.ATTR_AI_RESPONSE_OBJECT),
  key(K.ATTR_AI_RESPONSE_TOOL_CALLS),
  mastra('output'),
  adk(K.ATTR_ADK_LLM_RESPONSE),
  adk(K.ATTR_ADK_TOOL_RESPONSE),
]

function firstSource(attrs: Attributes, sources: readonly Source[]): string {
  for (const source of sources) {
    const value = source(attrs)
    if (value !== undefined) return toJsonText(value)
  }
  return ''
}

export function extractInput(attrs: Attributes): string {
  return firstSource(attrs, INPUT_SOURCES)
}

export function extractOutput(attrs: Attributes): string {
  return firstSource(attrs, OUTPUT_SOURCES)
}
