/**
 * A fault-injecting HTTP proxy for exporter retry tests. It sits between an OTLP exporter and the
 * server and decides, per POST (numbered from 1), whether to forward it, to refuse it without
 * forwarding, or to forward it and then lie to the exporter with an error status (the server stored
 * the batch but the exporter will send it again). Bodies and headers are streamed through untouched,
 * so gzip and protobuf reach the server exactly as the exporter sent them.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export type FaultAction =
  | { kind: 'forward' }
  | { kind: 'refuse'; status: number; headers?: Record<string, string> }
  | { kind: 'forward-then-fail'; status: number; headers?: Record<string, string> }

export interface ProxyRecord {
  method: string
  path: string
  action: FaultAction['kind']
  /** Status the server answered with; undefined when the request was not forwarded. */
  upstreamStatus: number | undefined
  /** Status the exporter saw. */
  status: number
  contentType: string
  contentEncoding: string
}

export interface FaultProxy {
  url: string
  /** Every request seen, in arrival order. */
  records: ProxyRecord[]
  posts(): number
  close(): Promise<void>
}

export const forward: FaultAction = { kind: 'forward' }

/** Plan that applies `fault` to the first `count` POSTs and forwards the rest. */
export function failFirst(count: number, fault: FaultAction): (postNumber: number) => FaultAction {
  return (postNumber) => (postNumber <= count ? fault : forward)
}

export async function startFaultProxy(target: string, plan: (postNumber: number) => FaultAction): Promise<FaultProxy> {
  const upstream = new URL(target)
  const records: ProxyRecord[] = []
  let postNumber = 0

  const server = http.createServer((req, res) => {
    const action = req.method === 'POST' ? plan(++postNumber) : forward
    const record: ProxyRecord = {
      method: req.method ?? '',
      path: req.url ?? '',
      action: action.kind,
      upstreamStatus: undefined,
      status: 0,
      contentType: req.headers['content-type'] ?? '',
      contentEncoding: req.headers['content-encoding'] ?? '',
    }
    records.push(record)
    if (action.kind === 'refuse') {
      req.resume()
      req.on('end', () => {
        record.status = action.status
        res.writeHead(action.status, { 'Content-Type': 'text/plain', ...action.headers })
        res.end('injected fault')
      })
      return
    }
    const proxied = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (upstreamRes) => {
        record.upstreamStatus = upstreamRes.statusCode
        if (action.kind === 'forward-then-fail') {
          upstreamRes.resume()
          upstreamRes.on('end', () => {
            record.status = action.status
            res.writeHead(action.status, { 'Content-Type': 'text/plain', ...action.headers })
            res.end('injected fault after forwarding')
          })
          return
        }
        record.status = upstreamRes.statusCode ?? 0
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers)
        upstreamRes.pipe(res)
      },
    )
    proxied.on('error', (error) => {
      record.status = 502
      if (!res.headersSent) res.writeHead(502)
      res.end(String(error))
    })
    req.pipe(proxied)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    records,
    posts: () => records.filter((r) => r.method === 'POST').length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
