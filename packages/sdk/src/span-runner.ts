/**
 * The one place that starts, activates and ends spans for every helper, so the error contract is
 * identical everywhere: status ERROR with the message, `error.type`, an `exception` event, then the
 * original error is rethrown untouched. Spans always end, also when the callback throws synchronously.
 */
import {
  context,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Exception,
  type Span,
  type SpanKind,
} from '@opentelemetry/api'
import { ATTR_ERROR_TYPE } from '@sightline/schema/semconv'
import { ERROR_TYPE_OTHER } from './attributes.js'
import { redactText } from './content.js'
import { getTracer } from './state.js'

export interface SpanSpec {
  name: string
  kind: SpanKind
  attributes: Attributes
  /** Parent context; the active one when omitted. Server spans pass the extracted remote context. */
  parent?: Context
}

export async function runInSpan<T>(
  spec: SpanSpec,
  fn: (span: Span) => T | Promise<T>,
  onResult?: (span: Span, result: T) => void,
): Promise<T> {
  const parent = spec.parent ?? context.active()
  const span = getTracer().startSpan(spec.name, { kind: spec.kind, attributes: spec.attributes }, parent)
  try {
    const result = await context.with(trace.setSpan(parent, span), () => fn(span))
    onResult?.(span, result)
    return result
  } catch (error) {
    recordError(span, error)
    throw error
  } finally {
    span.end()
  }
}

/** Drops undefined values so optional options never become `"undefined"` attributes. */
export function definedAttributes(attrs: Record<string, string | number | boolean | string[] | undefined>): Attributes {
  const out: Attributes = {}
  for (const [key, value] of Object.entries(attrs)) if (value !== undefined) out[key] = value
  return out
}

/**
 * `error.type` follows what the OTel JS SDK writes as `exception.type`: the error's code when it has
 * one (`ECONNRESET`, a provider's `rate_limit_exceeded`), else its class name.
 */
function errorType(error: unknown): string {
  if (!(error instanceof Error)) return ERROR_TYPE_OTHER
  const code = (error as { code?: unknown }).code
  if ((typeof code === 'string' && code !== '') || typeof code === 'number') return String(code)
  return error.name || ERROR_TYPE_OTHER
}

function recordError(span: Span, error: unknown): void {
  const type = errorType(error)
  // Error messages often quote the input that failed (a prompt, an argument), so a configured
  // redactor runs over the message and stack too.
  const message = redactText(error instanceof Error ? error.message : String(error))
  const exception: Exception =
    error instanceof Error
      ? { name: type, message, ...(error.stack ? { stack: redactText(error.stack) } : {}) }
      : { name: type, message }
  span.recordException(exception)
  span.setStatus({ code: SpanStatusCode.ERROR, message })
  span.setAttribute(ATTR_ERROR_TYPE, type)
}
