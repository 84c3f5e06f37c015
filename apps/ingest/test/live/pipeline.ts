/**
 * A real OTel SDK pipeline pointed at a URL: BasicTracerProvider → BatchSpanProcessor → a recording
 * wrapper → the OTLP/HTTP exporter (JSON or protobuf, optionally gzip). The wrapper keeps every
 * ExportResult so tests can assert what the exporter itself reported, not only what the server stored.
 */
import { type ExportResult, ExportResultCode } from '@opentelemetry/core'
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { resourceFromAttributes } from '@opentelemetry/resources'
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type ReadableSpan,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base'
import { TEST_API_KEY } from '../helpers/server.js'

export type Protocol = 'json' | 'protobuf'

type ExporterConfig = NonNullable<ConstructorParameters<typeof JsonExporter>[0]>

export interface PipelineOptions {
  /** Base URL of the server (or of a proxy in front of it); `/v1/traces` is appended. */
  baseUrl: string
  protocol: Protocol
  gzip?: boolean
  serviceName?: string
  resourceAttributes?: Record<string, string>
}

export class RecordingExporter implements SpanExporter {
  readonly results: ExportResult[] = []
  readonly exportedSpanIds: string[] = []
  constructor(private readonly inner: SpanExporter) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      this.results.push(result)
      if (result.code === ExportResultCode.SUCCESS)
        this.exportedSpanIds.push(...spans.map((s) => s.spanContext().spanId))
      resultCallback(result)
    })
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown()
  }
  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve()
  }
}

export interface Pipeline {
  provider: BasicTracerProvider
  exporter: RecordingExporter
  /** Flushes the batch processor; rejects when the exporter reports a failure. */
  flush(): Promise<void>
  shutdown(): Promise<void>
}

export function createExporter(options: PipelineOptions): SpanExporter {
  const config: ExporterConfig = {
    url: `${options.baseUrl}/v1/traces`,
    headers: { Authorization: `Bearer ${TEST_API_KEY}` },
    // The retry tests need a few seconds of backoff to fit inside one export deadline.
    timeoutMillis: 15_000,
    ...(options.gzip ? { compression: 'gzip' as ExporterConfig['compression'] } : {}),
  }
  return options.protocol === 'json' ? new JsonExporter(config) : new ProtoExporter(config)
}

export function createPipeline(options: PipelineOptions): Pipeline {
  return pipelineFor(createExporter(options), options)
}

/** The same pipeline around any exporter (e.g. OTLP/gRPC, which takes metadata instead of headers). */
export function pipelineFor(
  inner: SpanExporter,
  options: Pick<PipelineOptions, 'serviceName' | 'resourceAttributes'>,
): Pipeline {
  const exporter = new RecordingExporter(inner)
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': options.serviceName ?? 'live-test',
      ...options.resourceAttributes,
    }),
    spanProcessors: [
      new BatchSpanProcessor(exporter, {
        scheduledDelayMillis: 60_000,
        exportTimeoutMillis: 30_000,
        maxExportBatchSize: 512,
      }),
    ],
  })
  return {
    provider,
    exporter,
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  }
}
