/**
 * OTLP traces -> `spans` rows. Every agent-telemetry convention (OTel GenAI, OpenInference,
 * OpenLLMetry, Vercel AI SDK, Langfuse, Mastra, MCP, A2A) is mapped onto one row shape here; the
 * per-concern rules live in the sibling modules. Invalid spans are rejected one by one so the rest
 * of the batch is kept (OTLP partial success).
 */
import type { SpanRowInsert } from '@sightline/schema'
import type { DecodedExportRequest, DecodedSpan } from '../types.js'
import { withDroppedResourceAttributes } from './dropped.js'
import { extractResourceIdentity } from './identity.js'
import { buildSpanRow, type RowContext } from './span-row.js'
import { createTruncator, flattenAttributes } from './truncate.js'

export interface NormalizeOptions {
  projectId: string
  maxAttributeValueBytes: number
}

export interface NormalizeResult {
  rows: SpanRowInsert[]
  rejected: { count: number; messages: string[] }
}

/** The exporter logs partialSuccess.errorMessage; ten reasons say enough without a huge response. */
export const MAX_REJECTION_MESSAGES = 10

export function normalizeExportRequest(req: DecodedExportRequest, opts: NormalizeOptions): NormalizeResult {
  const rows: SpanRowInsert[] = []
  const rejected = { count: 0, messages: [] as string[] }
  for (const resourceSpans of req.resourceSpans) {
    const resource = extractResourceIdentity(resourceSpans.resource)
    const resourceAttributes = withDroppedResourceAttributes(
      flattenAttributes(resourceSpans.resource, createTruncator(opts.maxAttributeValueBytes)),
      resourceSpans.droppedResourceAttributes,
    )
    for (const scopeSpans of resourceSpans.scopeSpans) {
      const ctx: RowContext = { ...opts, resource, resourceAttributes, scope: scopeSpans.scope }
      for (const span of scopeSpans.spans) {
        const result = buildSpanRow(span, ctx)
        if (result.ok) {
          rows.push(result.row)
          continue
        }
        rejected.count++
        if (rejected.messages.length < MAX_REJECTION_MESSAGES) {
          rejected.messages.push(rejectionMessage(span, result.reason))
        }
      }
    }
  }
  return { rows, rejected }
}

function rejectionMessage(span: DecodedSpan, reason: string): string {
  const where = `trace ${span.traceId || '<empty>'}, span ${span.spanId || '<empty>'}`
  return `span '${span.name}' (${where}): ${reason}`
}
