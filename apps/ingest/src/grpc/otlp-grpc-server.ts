/**
 * OTLP/gRPC: the port the Collector's `otlp` exporter and the Python and Go SDKs' default gRPC
 * exporters send to (4317). Methods take and return raw bytes, so an ExportTraceServiceRequest goes
 * through the very path of an OTLP/HTTP protobuf body (ingestTraces); grpc-js only unframes and
 * inflates it (`grpc-encoding: gzip`), under the same decompressed-size limit as HTTP bodies.
 */
import {
  Metadata,
  Server,
  ServerCredentials,
  type handleUnaryCall,
  type MethodDefinition,
  type ServerErrorResponse,
} from '@grpc/grpc-js'
import type { Deps } from '../deps.js'
import { describeIngestFailure, ingestTraces, type IngestFailure } from '../ingest/ingest-batch.js'
import { extractApiKey, type HeaderReader } from '../middleware/auth.js'
import { encodeExportResponse, encodeLogsExportResponse, encodeRetryStatus } from '../otlp/encode-response.js'

export interface OtlpGrpcServer {
  port: number
  /** Stops accepting calls and waits for those in flight (their spans are fsynced and answered). */
  stop(): Promise<void>
}

/** How long stop() lets in-flight exports finish before cutting the connections. */
const SHUTDOWN_GRACE_MS = 5_000

const exportMethod = (path: string): MethodDefinition<Buffer, Uint8Array | string> => ({
  path,
  requestStream: false,
  responseStream: false,
  requestSerialize: (request) => request,
  requestDeserialize: (bytes) => bytes,
  responseSerialize: (response) => Buffer.from(response),
  responseDeserialize: (bytes) => bytes,
})

const TRACE_SERVICE = { export: exportMethod('/opentelemetry.proto.collector.trace.v1.TraceService/Export') }
const LOGS_SERVICE = { export: exportMethod('/opentelemetry.proto.collector.logs.v1.LogsService/Export') }
const METRICS_SERVICE = { export: exportMethod('/opentelemetry.proto.collector.metrics.v1.MetricsService/Export') }

/** Listens on HOST:SIGHTLINE_GRPC_PORT; rejects when the port cannot be bound. */
export async function startOtlpGrpcServer(deps: Deps, host: string, port: number): Promise<OtlpGrpcServer> {
  const server = new Server({ 'grpc.max_receive_message_length': deps.env.INGEST_MAX_BODY_BYTES })
  server.addService(TRACE_SERVICE, { export: exportTraces(deps) })
  // Log records carrying evaluation results become scores, through the same reader as OTLP/HTTP.
  server.addService(LOGS_SERVICE, { export: exportLogs(deps) })
  // As on OTLP/HTTP: metrics are not stored, but refusing them would make exporters that send every
  // signal to one endpoint log errors forever. An empty response is a full success.
  server.addService(METRICS_SERVICE, { export: acceptUnstored })
  const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
  const boundPort = await new Promise<number>((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, bound) => {
      if (!error) return resolve(bound)
      // grpc-js says only "No address added out of total 1 resolved"; say what to change.
      reject(
        new Error(
          `Cannot listen for OTLP/gRPC on ${address} (${error.message}): free the port or set SIGHTLINE_GRPC_PORT (0 ` +
            `turns gRPC off).`,
          { cause: error },
        ),
      )
    })
  })
  return { port: boundPort, stop: () => shutdown(server) }
}

function exportTraces(deps: Deps): handleUnaryCall<Buffer, Uint8Array | string> {
  return function exportTraces(call, callback) {
    const started = performance.now()
    ingestTraces(deps, {
      transport: 'grpc',
      apiKey: extractApiKey(metadataReader(call.metadata)),
      encoding: 'protobuf',
      started,
      receive: () => Promise.resolve({ small: call.request }),
    }).then(
      (partial) => callback(null, encodeExportResponse('protobuf', partial).body),
      (error: unknown) => callback(failureStatus(describeIngestFailure(deps, 'grpc', error))),
    )
  }
}

function exportLogs(deps: Deps): handleUnaryCall<Buffer, Uint8Array | string> {
  return function exportLogs(call, callback) {
    deps.evaluationLogs
      .export({
        apiKey: extractApiKey(metadataReader(call.metadata)),
        encoding: 'protobuf',
        readBody: () => Promise.resolve(call.request),
      })
      .then(
        (partial) => callback(null, encodeLogsExportResponse('protobuf', partial).body),
        (error: unknown) => callback(failureStatus(describeIngestFailure(deps, 'grpc', error))),
      )
  }
}

const acceptUnstored: handleUnaryCall<Buffer, Uint8Array | string> = (_call, callback) =>
  callback(null, new Uint8Array(0))

/** gRPC metadata read like HTTP headers, so one function owns the API-key rules. */
function metadataReader(metadata: Metadata): HeaderReader {
  return {
    get(name) {
      const [value] = metadata.get(name)
      return typeof value === 'string' ? value : undefined
    },
  }
}

/**
 * Overload carries a google.rpc.RetryInfo in `grpc-status-details-bin` (OTLP/gRPC throttling): the
 * Collector retries UNAVAILABLE after that delay; RESOURCE_EXHAUSTED without it (too large) is final.
 */
function failureStatus(failure: IngestFailure): ServerErrorResponse {
  const metadata = new Metadata()
  if (failure.retryAfterSeconds !== undefined) {
    metadata.set('grpc-status-details-bin', encodeRetryStatus(failure.code, failure.message, failure.retryAfterSeconds))
  }
  return Object.assign(new Error(failure.message), { code: failure.code, details: failure.message, metadata })
}

function shutdown(server: Server): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.forceShutdown(), SHUTDOWN_GRACE_MS)
    server.tryShutdown(() => {
      clearTimeout(force)
      resolve()
    })
  })
}
