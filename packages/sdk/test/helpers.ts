/**
 * Test harness: a registered SDK whose spans land in an InMemorySpanExporter through a
 * SimpleSpanProcessor (exported as they end, so no flush is needed before asserting).
 */
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { registerSightline, type SightlineHandle, type SightlineOptions } from '../src/index.js'

export interface TestSdk {
  sdk: SightlineHandle
  exporter: InMemorySpanExporter
  spans(): ReadableSpan[]
  /** The one finished span with this name; throws when there are none or several. */
  span(name: string): ReadableSpan
}

export function startTestSdk(options: Partial<SightlineOptions> = {}): TestSdk {
  const exporter = new InMemorySpanExporter()
  const sdk = registerSightline({
    serviceName: 'sdk-test',
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    ...options,
  })
  const spans = () => exporter.getFinishedSpans()
  const span = (name: string) => {
    const found = spans().filter((s) => s.name === name)
    if (found.length !== 1) {
      const names = spans().map((s) => s.name)
      throw new Error(`expected one span '${name}', found ${found.length} in [${names.join(', ')}]`)
    }
    return found[0] as ReadableSpan
  }
  return { sdk, exporter, spans, span }
}

export const parentIdOf = (span: ReadableSpan) => span.parentSpanContext?.spanId
export const traceIdOf = (span: ReadableSpan) => span.spanContext().traceId
export const spanIdOf = (span: ReadableSpan) => span.spanContext().spanId
