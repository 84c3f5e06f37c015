/**
 * A bare grpc-js client that sends chosen bytes to one OTLP/gRPC method and hands back the raw
 * answer: for what a real exporter cannot be made to send (malformed messages, oversized bodies,
 * a request while the spool is full) and for reading the status details it does not expose.
 */
import { credentials, makeGenericClientConstructor, Metadata, type ServiceError } from '@grpc/grpc-js'

export const TRACE_EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export'
export const LOGS_EXPORT = '/opentelemetry.proto.collector.logs.v1.LogsService/Export'
export const METRICS_EXPORT = '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export'

export interface RawAnswer {
  error: ServiceError | null
  response: Buffer | undefined
}

export interface RawExportOptions {
  /** Sent as `authorization: Bearer <key>`. */
  apiKey?: string
  gzip?: boolean
}

const identity = (bytes: Buffer) => bytes

export async function rawExport(
  port: number,
  path: string,
  body: Buffer,
  options: RawExportOptions = {},
): Promise<RawAnswer> {
  const Client = makeGenericClientConstructor(
    {
      export: {
        path,
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      },
    },
    'OtlpExport',
  )
  // 2 = gzip in grpc-js's compression algorithm numbering.
  const client = new Client(
    `127.0.0.1:${port}`,
    credentials.createInsecure(),
    options.gzip ? { 'grpc.default_compression_algorithm': 2 } : {},
  )
  const metadata = new Metadata()
  if (options.apiKey) metadata.set('authorization', `Bearer ${options.apiKey}`)
  try {
    return await new Promise<RawAnswer>((resolve) => {
      const call = client['export'] as (
        body: Buffer,
        metadata: Metadata,
        callback: (error: ServiceError | null, response?: Buffer) => void,
      ) => void
      call.call(client, body, metadata, (error, response) => resolve({ error, response }))
    })
  } finally {
    client.close()
  }
}
