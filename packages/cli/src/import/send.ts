/**
 * POSTing converted runs to `/v1/traces` in bounded batches. A batch closes at MAX_SPANS spans or
 * MAX_BYTES of JSON, whichever comes first, so one tau-bench file (thousands of spans) never makes a
 * request the server or a proxy in front of it would refuse.
 */
import type { ExportTraceServiceRequest, OtlpSpan, ResourceSpans } from './otlp.js'

export const MAX_SPANS = 1000
export const MAX_BYTES = 4 * 1024 * 1024

export function batchRequest(
  request: ExportTraceServiceRequest,
  maxSpans = MAX_SPANS,
  maxBytes = MAX_BYTES,
): ExportTraceServiceRequest[] {
  const batches: ExportTraceServiceRequest[] = []
  let current: ResourceSpans[] = []
  let spans = 0
  let bytes = 0
  const flush = () => {
    if (current.length > 0) batches.push({ resourceSpans: current })
    current = []
    spans = 0
    bytes = 0
  }
  for (const resourceSpans of request.resourceSpans) {
    for (const scopeSpans of resourceSpans.scopeSpans) {
      let open: OtlpSpan[] | undefined
      for (const span of scopeSpans.spans) {
        const size = JSON.stringify(span).length
        if (spans > 0 && (spans + 1 > maxSpans || bytes + size > maxBytes)) {
          flush()
          open = undefined
        }
        if (!open) {
          open = []
          current.push({ resource: resourceSpans.resource, scopeSpans: [{ scope: scopeSpans.scope, spans: open }] })
        }
        open.push(span)
        spans++
        bytes += size
      }
    }
  }
  flush()
  return batches
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

export interface SendResult {
  requests: number
  rejectedSpans: number
  rejectionMessages: string[]
}

/** Sends every batch; throws HttpError with the server's own message on the first non-2xx answer. */
export async function sendRequest(
  request: ExportTraceServiceRequest,
  url: string,
  apiKey: string | undefined,
): Promise<SendResult> {
  const endpoint = `${url.replace(/\/+$/, '')}/v1/traces`
  const result: SendResult = { requests: 0, rejectedSpans: 0, rejectionMessages: [] }
  for (const batch of batchRequest(request)) {
    let res: Response
    try {
      res = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
        body: JSON.stringify(batch),
      })
    } catch (error) {
      const { cause, message } = error as Error
      throw new HttpError(0, `cannot reach ${endpoint}: ${cause instanceof Error ? cause.message : message}`)
    }
    const text = await res.text()
    if (!res.ok) throw new HttpError(res.status, `POST ${endpoint} failed: HTTP ${res.status}: ${serverMessage(text)}`)
    result.requests++
    const partial = readPartialSuccess(text)
    if (partial) {
      result.rejectedSpans += partial.rejectedSpans
      if (partial.errorMessage) result.rejectionMessages.push(partial.errorMessage)
    }
  }
  return result
}

/** OTLP error bodies are `{code, message}`; the query API's are `{error: {message}}`; else the raw text. */
function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: { message?: unknown } }
    if (typeof body.message === 'string') return body.message
    if (typeof body.error?.message === 'string') return body.error.message
  } catch {
    // not JSON: fall through to the raw text
  }
  return text.trim().slice(0, 500) || '(empty body)'
}

function readPartialSuccess(text: string): { rejectedSpans: number; errorMessage: string } | undefined {
  try {
    const body = JSON.parse(text) as { partialSuccess?: { rejectedSpans?: number | string; errorMessage?: string } }
    const rejected = Number(body.partialSuccess?.rejectedSpans ?? 0)
    if (!rejected) return undefined
    return { rejectedSpans: rejected, errorMessage: body.partialSuccess?.errorMessage ?? '' }
  } catch {
    return undefined
  }
}
