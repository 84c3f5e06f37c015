/**
 * Error status. Span status is not the only signal: Langfuse marks failures with
 * `langfuse.observation.level=ERROR` and leaves the status UNSET, and MCP/OTel set `error.type`.
 */
import type { SpanStatus } from '@sightline/schema'
import * as K from '@sightline/schema/semconv'
import type { DecodedSpan } from '../types.js'
import { firstString } from './attributes.js'

export interface StatusFields {
  status: SpanStatus
  statusMessage: string
  errorType: string
}

const OTLP_STATUS_OK = 1
const OTLP_STATUS_ERROR = 2

export function extractStatus(span: DecodedSpan): StatusFields {
  const attrs = span.attributes
  const exception = span.events.find((event) => event.name === K.EVENT_EXCEPTION)
  const exceptionAttrs = exception?.attributes ?? {}
  const errorType =
    firstString(attrs, [K.ATTR_ERROR_TYPE]) || firstString(exceptionAttrs, [K.ATTR_EXCEPTION_TYPE])
  const level = firstString(attrs, [K.ATTR_LANGFUSE_OBSERVATION_LEVEL]).toUpperCase()
  const langfuseError = level === 'ERROR'
  const isError =
    span.status.code === OTLP_STATUS_ERROR ||
    errorType !== '' ||
    exception !== undefined ||
    langfuseError
  const statusMessage =
    span.status.message ||
    firstString(exceptionAttrs, [K.ATTR_EXCEPTION_MESSAGE]) ||
    firstString(attrs, [K.ATTR_LANGFUSE_OBSERVATION_STATUS_MESSAGE])
  let status: SpanStatus = 'unset'
  if (isError) status = 'error'
  else if (span.status.code === OTLP_STATUS_OK) status = 'ok'
  return { status, statusMessage, errorType }
}
