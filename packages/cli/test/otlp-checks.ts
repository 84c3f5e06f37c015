/** Structural checks every converted request must pass, shared by the converter tests. */
import { expect } from 'vitest'
import type { ExportTraceServiceRequest, OtlpSpan } from '../src/import/otlp.js'

export const fixture = (relative: string): string =>
  new URL(`../../../fixtures/trajectories/${relative}`, import.meta.url).pathname

export const allSpans = (request: ExportTraceServiceRequest): OtlpSpan[] =>
  request.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans))

export const attrOf = (span: OtlpSpan, key: string): unknown => {
  const value = span.attributes.find((a) => a.key === key)?.value
  return value === undefined ? undefined : Object.values(value)[0]
}

export const op = (span: OtlpSpan): unknown => attrOf(span, 'gen_ai.operation.name')

/** Spans grouped by trace id, in emitted order. */
export function byTrace(request: ExportTraceServiceRequest): Map<string, OtlpSpan[]> {
  const traces = new Map<string, OtlpSpan[]>()
  for (const span of allSpans(request)) traces.set(span.traceId, [...(traces.get(span.traceId) ?? []), span])
  return traces
}

export function expectWellFormed(request: ExportTraceServiceRequest): void {
  const spans = allSpans(request)
  expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length)
  for (const resourceSpans of request.resourceSpans) {
    const keys = resourceSpans.resource.attributes.map((a) => a.key)
    expect(keys).toContain('service.name')
  }
  for (const [traceId, traceSpans] of byTrace(request)) {
    expect(traceId).toMatch(/^[0-9a-f]{32}$/)
    const roots = traceSpans.filter((s) => s.parentSpanId === undefined)
    expect(roots).toHaveLength(1)
    const root = roots[0]!
    expect(op(root)).toBe('invoke_agent')
    expect(root.name).toMatch(/^invoke_agent /)
    const ids = new Set(traceSpans.map((s) => s.spanId))
    let previousStart = -1n
    for (const span of traceSpans) {
      expect(span.spanId).toMatch(/^[0-9a-f]{16}$/)
      expect(span.startTimeUnixNano).toMatch(/^\d+$/)
      expect(span.endTimeUnixNano).toMatch(/^\d+$/)
      const start = BigInt(span.startTimeUnixNano)
      const end = BigInt(span.endTimeUnixNano)
      expect(end >= start).toBe(true)
      expect(start > 1_500_000_000n * 1_000_000_000n).toBe(true)
      if (span === root) continue
      expect(ids.has(span.parentSpanId!)).toBe(true)
      expect(start >= BigInt(root.startTimeUnixNano) && end <= BigInt(root.endTimeUnixNano)).toBe(true)
      // Children are emitted in the order they happened.
      expect(start >= previousStart).toBe(true)
      previousStart = start
      if (op(span) === 'chat') expect(span.name).toMatch(/^chat /)
      if (op(span) === 'execute_tool') {
        expect(span.name).toBe(`execute_tool ${String(attrOf(span, 'gen_ai.tool.name'))}`)
        expect(attrOf(span, 'gen_ai.tool.call.id')).toBeTruthy()
      }
      if (span.status.code === 2) expect(attrOf(span, 'error.type')).toBeTruthy()
    }
  }
}
