/**
 * Error status. Span status is not the only signal: Langfuse marks failures with
 * `langfuse.observation.level=ERROR` and leaves the status UNSET, and MCP/OTel set `error.type`.
 *
 * Nor is it always the span's own: OpenInference's Vercel processor (`@arizeai/openinference-
 * vercel` 2.8.1) copies the trace's first error onto every AI SDK span that ends after it, the
 * successful retry and the final answer included (it takes each span for a root: it reads
 * `parentSpanId`, which OTel JS SDK 2 spans no longer have). The AI SDK itself never sets an error
 * status without recording the exception event, so on those spans an error status with no event
 * (and no error finish reason) is the processor's, not the span's, and is not read as a failure.
 */
import type { SpanStatus } from '@sightline/schema'
import * as K from '@sightline/schema/semconv'
import type { Attributes, DecodedSpan } from '../types.js'
import { firstString } from './attributes.js'

export interface StatusFields {
  status: SpanStatus
  statusMessage: string
  errorType: string
}

const OTLP_STATUS_OK = 1
const OTLP_STATUS_ERROR = 2

/** Spans both written by the AI SDK and rewritten by OpenInference's processor. */
const isOpenInferenceOverAiSdk = (attrs: Attributes) =>
  attrs[K.ATTR_AI_OPERATION_ID] !== undefined && attrs[K.ATTR_OPENINFERENCE_SPAN_KIND] !== undefined

const hasErrorFinishReason = (attrs: Attributes) =>
  firstString(attrs, [K.ATTR_AI_RESPONSE_FINISH_REASON]) === 'error' ||
  firstString(attrs, [K.ATTR_GEN_AI_RESPONSE_FINISH_REASONS]).includes('"error"')

/** The span's status as its own: an error status a processor copied onto it reads as unset. */
function ownStatus(span: DecodedSpan, hasException: boolean): DecodedSpan['status'] {
  const copied =
    span.status.code === OTLP_STATUS_ERROR &&
    !hasException &&
    isOpenInferenceOverAiSdk(span.attributes) &&
    !hasErrorFinishReason(span.attributes)
  return copied ? { code: 0, message: '' } : span.status
}

export function extractStatus(span: DecodedSpan): StatusFields {
  const attrs = span.attributes
  const exception = span.events.find((event) => event.name === K.EVENT_EXCEPTION)
  const own = ownStatus(span, exception !== undefined)
  const exceptionAttrs = exception?.attributes ?? {}
  const errorType = firstString(attrs, [K.ATTR_ERROR_TYPE]) || firstString(exceptionAttrs, [K.ATTR_EXCEPTION_TYPE])
  const level = firstString(attrs, [K.ATTR_LANGFUSE_OBSERVATION_LEVEL]).toUpperCase()
  const langfuseError = level === 'ERROR'
  const isError = own.code === OTLP_STATUS_ERROR || errorType !== '' || exception !== undefined || langfuseError
  const statusMessage =
    own.message ||
    firstString(exceptionAttrs, [K.ATTR_EXCEPTION_MESSAGE]) ||
    firstString(attrs, [K.ATTR_LANGFUSE_OBSERVATION_STATUS_MESSAGE])
  let status: SpanStatus = 'unset'
  if (isError) status = 'error'
  else if (own.code === OTLP_STATUS_OK) status = 'ok'
  return { status, statusMessage, errorType }
}
