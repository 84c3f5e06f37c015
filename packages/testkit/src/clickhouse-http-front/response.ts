/**
 * The response a server sends: the result in the query's output format with `X-ClickHouse-Format`,
 * `X-ClickHouse-Query-Id`, `X-ClickHouse-Timezone` and the `X-ClickHouse-Summary` of the whole
 * query (a server has it complete once the result is buffered, which the front always does);
 * an exception as text with its status and `X-ClickHouse-Exception-Code`. With
 * `enable_http_compression=1` and an `Accept-Encoding` the front supports (br, gzip, deflate,
 * preferred in that order as by the server; zstd, lz4 and the others are not emulated), the body
 * is compressed, exception text included, and only a non-empty body carries `Content-Encoding`.
 */
import zlib from 'node:zlib'
import type { EngineResult } from './engine.js'
import type { ClickHouseException } from './exceptions.js'

export interface ServerInfo {
  version: string
  timezone: string
  displayName: string
}

export interface Reply {
  status: number
  headers: Record<string, string>
  body: Buffer
}

/** Statements whose result is data in an output format (the others answer an empty body). */
const READS = new Set(['SELECT', 'WITH', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'EXISTS', 'CHECK'])

export function outputFormat(text: string, defaultFormat: string | undefined): string | undefined {
  const keyword = /^(?:\s|--[^\n]*\n|\/\*[\s\S]*?\*\/|\()*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase()
  if (!keyword || !READS.has(keyword)) return undefined
  return /\bFORMAT\s+([A-Za-z0-9_]+)\s*;?\s*$/i.exec(text)?.[1] ?? defaultFormat ?? 'TabSeparated'
}

function contentType(format: string | undefined): string {
  if (format === undefined) return 'text/plain; charset=UTF-8'
  if (/^JSON/i.test(format)) return 'application/json; charset=UTF-8'
  if (/^(TabSeparated|TSV)/i.test(format)) return 'text/tab-separated-values; charset=UTF-8'
  if (/^CSV/i.test(format)) return 'text/csv; charset=UTF-8; header=absent'
  return 'text/plain; charset=UTF-8'
}

function summary(result: Partial<EngineResult>): string {
  const s = (n: number | undefined) => String(n ?? 0)
  return JSON.stringify({
    read_rows: s(result.resultRows),
    read_bytes: s(result.resultBytes),
    written_rows: s(result.writtenRows),
    written_bytes: s(result.writtenBytes),
    total_rows_to_read: '0',
    result_rows: s(result.resultRows),
    result_bytes: s(result.resultBytes),
    elapsed_ns: s(result.elapsedNs),
  })
}

type Codec = 'br' | 'gzip' | 'deflate'

export function chooseCodec(acceptEncoding: string | undefined, enabled: string | undefined): Codec | undefined {
  if (enabled !== '1' && enabled !== 'true') return undefined
  const list = acceptEncoding ?? ''
  return (['br', 'gzip', 'deflate'] as const).find((codec) => list.includes(codec))
}

function encode(body: Buffer, codec: Codec | undefined, level: number | undefined): Buffer {
  if (!codec || body.length === 0) return body
  if (codec === 'br') return zlib.brotliCompressSync(body)
  const options = level === undefined ? {} : { level }
  return codec === 'gzip' ? zlib.gzipSync(body, options) : zlib.deflateSync(body, options)
}

function baseHeaders(info: ServerInfo, queryId: string | undefined): Record<string, string> {
  return {
    'X-ClickHouse-Server-Display-Name': info.displayName,
    ...(queryId ? { 'X-ClickHouse-Query-Id': queryId } : {}),
    'X-ClickHouse-Timezone': info.timezone,
    'Keep-Alive': 'timeout=10',
  }
}

export function resultReply(
  info: ServerInfo,
  queryId: string,
  format: string | undefined,
  result: EngineResult,
  codec: Codec | undefined,
  level: number | undefined,
): Reply {
  const body = encode(Buffer.from(result.body), codec, level)
  return {
    status: 200,
    headers: {
      ...baseHeaders(info, queryId),
      'Content-Type': contentType(format),
      ...(format ? { 'X-ClickHouse-Format': format } : {}),
      'X-ClickHouse-Summary': summary(result),
      ...(codec && body.length > 0 ? { 'Content-Encoding': codec } : {}),
    },
    body,
  }
}

export function exceptionReply(
  info: ServerInfo,
  queryId: string | undefined,
  exception: ClickHouseException,
  codec: Codec | undefined,
): Reply {
  const body = encode(Buffer.from(`${exception.text(info.version)}\n`), codec, undefined)
  return {
    status: exception.httpStatus,
    headers: {
      ...baseHeaders(info, queryId),
      'Content-Type': 'text/plain; charset=UTF-8',
      'X-ClickHouse-Exception-Code': String(exception.code),
      'X-ClickHouse-Summary': summary({}),
      ...(codec ? { 'Content-Encoding': codec } : {}),
      ...(exception.httpStatus === 401 ? { 'WWW-Authenticate': 'Basic realm="ClickHouse server HTTP API"' } : {}),
    },
    body,
  }
}
