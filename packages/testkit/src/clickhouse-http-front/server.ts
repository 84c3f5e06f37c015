/**
 * The HTTP listener: `/ping` and `GET /` answer `Ok.`; queries go to `/` (POST, or GET with a
 * `query` parameter, read-only); anything else is 404 with the server's hint. Each query: read and
 * (Content-Encoding) decompress the body, authenticate, open its context, run, answer.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { promisify } from 'node:util'
import zlib from 'node:zlib'
import type { Contexts } from './contexts.js'
import type { Engine } from './engine.js'
import { ClickHouseException, fromEngineError } from './exceptions.js'
import { readQueryRequest, type QueryRequest } from './request.js'
import { chooseCodec, exceptionReply, outputFormat, resultReply, type Reply, type ServerInfo } from './response.js'

export interface FrontConfig {
  user: string
  password: string
  host: string
  port: number
}

/** ClickHouse's http_max_uri_size: bound parameters travel in the URL, often well past Node's 16 KiB. */
const MAX_URI_BYTES = 1024 * 1024

const DECODERS: Record<string, (body: Buffer) => Promise<Buffer>> = {
  gzip: promisify(zlib.gunzip),
  deflate: promisify(zlib.inflate),
  br: promisify(zlib.brotliDecompress),
}

export async function listen(
  engine: Engine,
  contexts: Contexts,
  config: FrontConfig,
): Promise<{ server: http.Server; port: number }> {
  const info: ServerInfo = {
    version: engine.version,
    timezone: engine.timezone,
    displayName: 'sightline-clickhouse-http-front',
  }
  const server = http.createServer({ maxHeaderSize: MAX_URI_BYTES }, (req, res) => {
    handle(req, info, engine, contexts, config).then(
      (reply) => res.writeHead(reply.status, reply.headers).end(reply.body),
      (error: unknown) =>
        res.writeHead(500, { 'Content-Type': 'text/plain; charset=UTF-8' }).end(`front: ${String(error)}\n`),
    )
  })
  // The client keeps sockets for 2.5 s; the server promises 10 (Keep-Alive: timeout=10).
  server.keepAliveTimeout = 10_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => resolve())
  })
  return { server, port: (server.address() as AddressInfo).port }
}

async function handle(
  req: http.IncomingMessage,
  info: ServerInfo,
  engine: Engine,
  contexts: Contexts,
  config: FrontConfig,
): Promise<Reply> {
  const url = new URL(req.url ?? '/', 'http://front')
  const method = req.method ?? 'GET'
  const text = (status: number, body: string): Reply => ({
    status,
    headers: { 'Content-Type': 'text/plain; charset=UTF-8' },
    body: Buffer.from(body),
  })
  if (url.pathname === '/ping' && (method === 'GET' || method === 'HEAD')) return text(200, 'Ok.\n')
  if (url.pathname !== '/') return text(404, `There is no handle ${req.url}\n\nUse / or /ping for health checks.\n`)
  if (method === 'GET' && !url.searchParams.has('query')) return text(200, 'Ok.\n')

  const headers = headerMap(req)
  const codec = chooseCodec(headers['accept-encoding'], url.searchParams.get('enable_http_compression') ?? undefined)
  let request: QueryRequest | undefined
  try {
    if (method === 'POST' && headers['content-length'] === undefined && headers['transfer-encoding'] === undefined) {
      throw ClickHouseException.of(
        'HTTP_LENGTH_REQUIRED',
        'The Transfer-Encoding is not chunked and there is no Content-Length header for POST request',
      )
    }
    const body = await decode(await readBody(req), headers['content-encoding'])
    request = readQueryRequest(method, url, headers, body)
    authenticate(request, config)
    const context = await contexts.open(request)
    let failed = true
    try {
      const format = outputFormat(request.text, request.defaultFormat)
      const result = request.insert
        ? await context.connection.insert(request.insert.statement, request.insert.data)
        : await context.connection.query(
            request.text,
            format ?? request.defaultFormat ?? 'TabSeparated',
            request.params,
          )
      failed = false
      const level = request.httpSettings.http_zlib_compression_level
      return resultReply(info, request.queryId, format, result, codec, level === undefined ? undefined : Number(level))
    } finally {
      await context.end(failed)
    }
  } catch (error) {
    return exceptionReply(info, request?.queryId, fromEngineError(error), codec)
  }
}

function authenticate(request: QueryRequest, config: FrontConfig): void {
  const { user, password } = request.credentials
  if (user === config.user && password === config.password) return
  throw ClickHouseException.of(
    'AUTHENTICATION_FAILED',
    `${user}: Authentication failed: password is incorrect, or there is no user with such name`,
  )
}

function headerMap(req: http.IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(req.headers)) out[name] = Array.isArray(value) ? value.join(', ') : value
  return out
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

async function decode(body: Buffer, encoding: string | undefined): Promise<Buffer> {
  const name = (encoding ?? '').trim().toLowerCase()
  if (name === '' || name === 'identity' || body.length === 0) return body
  const decoder = DECODERS[name]
  if (!decoder) throw ClickHouseException.of('UNKNOWN_COMPRESSION_METHOD', `Unknown compression method '${encoding}'`)
  return decoder(body)
}
