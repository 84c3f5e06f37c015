/**
 * The pipeline a user of an instrumentation library sets up: a NodeTracerProvider (which also
 * registers the AsyncLocalStorage context manager the libraries nest spans through) with a
 * BatchSpanProcessor and the OTLP/HTTP protobuf exporter pointed at `${otlpUrl}/v1/traces`.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { resourceFromAttributes } from '@opentelemetry/resources'
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node'

export interface OtelPipeline {
  provider: NodeTracerProvider
  /** Exports everything still buffered and shuts the provider down. */
  finish(): Promise<void>
}

export function startOtelPipeline(options: {
  otlpUrl: string
  serviceName: string
  /** The processor that hands spans to the exporter; a BatchSpanProcessor unless a library brings its own. */
  processor?: (exporter: SpanExporter) => SpanProcessor
  /**
   * Spans per export request. A small batch makes the exporter send during the run, children
   * before their parents and across several requests, as long runs do in production.
   */
  maxExportBatchSize?: number
}): OtelPipeline {
  const exporter = new OTLPTraceExporter({ url: `${options.otlpUrl}/v1/traces` })
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName, 'service.version': '1.0.0' }),
    spanProcessors: [
      options.processor
        ? options.processor(exporter)
        : new BatchSpanProcessor(exporter, { maxExportBatchSize: options.maxExportBatchSize ?? 512 }),
    ],
  })
  provider.register()
  return {
    provider,
    async finish() {
      await provider.forceFlush()
      await provider.shutdown()
    },
  }
}
