/** Hand-built decoded spans for the normaliser's unit tests (no test-runner imports: plain data). */
import type { Attributes, DecodedExportRequest, DecodedSpan } from '../../src/otlp/types.js'

export const TRACE_ID = '5b8efff798038103d269b633813fc60c'

export function makeSpan(overrides: Partial<DecodedSpan> = {}): DecodedSpan {
  return {
    traceId: TRACE_ID,
    spanId: 'eee19b7ec3c1b174',
    parentSpanId: '',
    traceState: '',
    name: 'span',
    kind: 1,
    startTimeUnixNano: '1700000000000000000',
    endTimeUnixNano: '1700000001000000000',
    attributes: {},
    events: [],
    links: [],
    status: { code: 0, message: '' },
    ...overrides,
  }
}

export function makeRequest(
  spans: DecodedSpan[],
  resource: Attributes = { 'service.name': 'svc' },
  scopeName = 'scope',
): DecodedExportRequest {
  return {
    resourceSpans: [{ resource, scopeSpans: [{ scope: { name: scopeName, version: '1.0', attributes: {} }, spans }] }],
  }
}
