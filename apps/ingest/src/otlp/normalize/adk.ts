/**
 * Google ADK (Agent Development Kit, Python and TypeScript), instrumentation scope
 * `gcp.vertex.agent`. What its spans mean, as data where possible; the usage of its model calls is
 * read in provider-usage.ts, its provider name in provider.ts. Captured on @google/adk 2.0.0
 * (packages/contract-tests/FINDINGS.md).
 */
import type { SpanKind } from '@sightline/schema'
import * as K from '@sightline/schema/semconv'
import type { AttrValue, Attributes } from '../types.js'
import { asObject, isObject } from './attributes.js'

export const ADK_SCOPE = 'gcp.vertex.agent'

/**
 * ADK's own span names: `call_llm` is one request to the model (it carries no
 * `gen_ai.operation.name`, and when the request fails no usage either); `invocation` is the runner
 * around an agent's run, a label rather than a task.
 */
export const ADK_SPAN_KINDS: Readonly<Record<string, [SpanKind, boolean]>> = {
  call_llm: ['llm', true],
  invocation: ['chain', false],
}

/** Span names that say nothing about the trace: it is named after its root agent instead. */
export const ADK_GENERIC_NAMES: ReadonlySet<string> = new Set(['invocation'])

/** What ADK writes as the call id when the model gave none. */
export const ADK_NO_CALL_ID = '<not specified>'

/** ADK writes `"{}"` for the request/response keys on tool spans ("as the UI expects"): not content. */
export function adkContent(attrs: Attributes, key: string): AttrValue | undefined {
  const value = attrs[key]
  if (value === undefined || value === null || value === '' || value === '{}') return undefined
  return value
}

/**
 * A tool's result as the tool returned it: ADK wraps a non-object result as `{"result": x}` and an
 * array as `{"results": [...]}` before the model (and the span) see it. An agent used as a tool
 * returns its answer text, so this is how its answer reaches the span.
 */
export function unwrapAdkToolResult(value: AttrValue): AttrValue {
  const object = asObject(value)
  if (!object) return value
  const keys = Object.keys(object)
  if (keys.length !== 1) return value
  const result = object['result']
  if (keys[0] === 'result' && result !== undefined && !isObject(result) && !Array.isArray(result)) return result
  const results = object['results']
  if (keys[0] === 'results' && Array.isArray(results)) return results
  return value
}

interface GeminiPart {
  functionResponse?: { name?: string; response?: Record<string, unknown> }
}
interface GeminiContent {
  role?: string
  parts?: GeminiPart[]
}

/**
 * Tools this model request reports as failed. ADK catches a tool's throw, ends the tool span with
 * no error status and no result, and sends the model `{"error": "<message>"}` as the function
 * response. Each request repeats the whole conversation, so only the responses this request adds
 * (the contents after the model's last turn) are its reports; earlier ones were reported by the
 * request that first carried them. ADK strips call ids from the request and the failed tool span
 * carries none, so the tool is reported by name (the resolver takes that agent's latest earlier
 * call of it).
 */
export function adkReportedToolErrors(attrs: Attributes): string[] {
  const request = asObject(adkContent(attrs, K.ATTR_ADK_LLM_REQUEST))
  const contents = request?.['contents']
  if (!Array.isArray(contents)) return []
  const list = contents as GeminiContent[]
  const lastModelTurn = list.map((c) => c?.role).lastIndexOf('model')
  const failed: string[] = []
  for (const content of list.slice(lastModelTurn + 1)) {
    for (const part of content?.parts ?? []) {
      const response = part?.functionResponse
      if (response?.name && isErrorResponse(response.response)) failed.push(response.name)
    }
  }
  return failed
}

const isErrorResponse = (response: unknown): boolean =>
  typeof response === 'object' && response !== null && 'error' in response && Object.keys(response).length === 1
