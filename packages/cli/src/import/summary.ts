/** Counts over a converted request, for the per-file line the command prints (and for tests). */
import * as K from '@sightline/schema/semconv'
import type { ExportTraceServiceRequest, KeyValue } from './otlp.js'
import { sumDecimals } from './split.js'

export interface ImportSummary {
  traces: number
  spans: number
  llmCalls: number
  toolCalls: number
  toolErrors: number
  inputTokens: number
  outputTokens: number
  /** Sum of the reported per-call costs (decimal text); null when the file reported none. */
  costUsd: string | null
}

const attr = (attrs: KeyValue[], key: string) => attrs.find((a) => a.key === key)?.value

function intAttr(attrs: KeyValue[], key: string): number {
  const value = attr(attrs, key)
  return value && 'intValue' in value ? value.intValue : 0
}

export function summarize(request: ExportTraceServiceRequest): ImportSummary {
  const traceIds = new Set<string>()
  const costs: string[] = []
  const summary: ImportSummary = {
    traces: 0,
    spans: 0,
    llmCalls: 0,
    toolCalls: 0,
    toolErrors: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: null,
  }
  for (const span of request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))) {
    traceIds.add(span.traceId)
    summary.spans++
    const op = attr(span.attributes, K.ATTR_GEN_AI_OPERATION_NAME)
    const operation = op && 'stringValue' in op ? op.stringValue : ''
    if (operation === 'chat') {
      summary.llmCalls++
      summary.inputTokens += intAttr(span.attributes, K.ATTR_GEN_AI_USAGE_INPUT_TOKENS)
      summary.outputTokens += intAttr(span.attributes, K.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS)
      const cost = attr(span.attributes, K.ATTR_OI_COST_TOTAL)
      if (cost && 'stringValue' in cost) costs.push(cost.stringValue)
    }
    if (operation === 'execute_tool') {
      summary.toolCalls++
      if (span.status.code === 2) summary.toolErrors++
    }
  }
  summary.traces = traceIds.size
  summary.costUsd = costs.length === 0 ? null : sumDecimals(costs)
  return summary
}

export function formatSummary(file: string, s: ImportSummary): string {
  const cost = s.costUsd === null ? 'cost: priced by server' : `cost $${s.costUsd} (reported)`
  return (
    `${file}: ${s.traces} traces, ${s.spans} spans, ${s.llmCalls} LLM calls, ${s.toolCalls} tool calls ` +
    `(${s.toolErrors} errors), tokens ${s.inputTokens} in / ${s.outputTokens} out, ${cost}`
  )
}
