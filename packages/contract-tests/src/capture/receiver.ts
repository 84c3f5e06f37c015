/**
 * The capture end of an OTLP/HTTP exporter: a plain listener on 127.0.0.1 that keeps every
 * `/v1/traces` request body exactly as it arrived (no decoding, no decompression), in arrival
 * order. It answers like a collector that accepted everything, in the request's own encoding, so
 * exporters neither retry nor warn. Other OTLP signals (Mastra also posts `/v1/logs`) get the same
 * answer and are not kept: Sightline reads traces only.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface CapturedRequest {
  /** Request path as sent, e.g. `/v1/traces`. */
  path: string
  contentType: string
  /** `gzip` when the exporter compressed the body; the body is then kept compressed. */
  contentEncoding: string
  body: Buffer
}

export interface CaptureReceiver {
  /** Base URL without a path, e.g. `http://127.0.0.1:43123`. */
  url: string
  readonly requests: readonly CapturedRequest[]
  close(): Promise<void>
}

export async function startCaptureReceiver(): Promise<CaptureReceiver> {
  const requests: CapturedRequest[] = []
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const contentType = String(req.headers['content-type'] ?? '')
      const path = (req.url ?? '').split('?')[0] ?? ''
      if (req.method === 'POST' && path.endsWith('/v1/traces')) {
        requests.push({
          path,
          contentType,
          contentEncoding: String(req.headers['content-encoding'] ?? ''),
          body: Buffer.concat(chunks),
        })
      }
      // An empty protobuf body is a valid empty ExportTraceServiceResponse.
      const isJson = contentType.startsWith('application/json')
      res.writeHead(200, { 'content-type': isJson ? 'application/json' : 'application/x-protobuf' })
      res.end(isJson ? '{}' : undefined)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  }
}
