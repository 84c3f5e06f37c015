/**
 * What one HTTP request asks of the server, read the way ClickHouse's HTTPHandler reads it
 * (src/Server/HTTPHandler.cpp): the query is the `query` URL parameter, a line break and the body;
 * `param_<name>` are bound parameters (their text is handed to the engine unchanged); `database`
 * and `default_format` (or the X-ClickHouse-Database / X-ClickHouse-Format headers) apply to this
 * query; the reserved names below are not settings; every other parameter is a setting for this
 * query only. Credentials come from Basic auth, the X-ClickHouse-User/Key headers or the
 * user/password parameters, never two of them at once.
 */
import { randomUUID } from 'node:crypto'
import { ClickHouseException } from './exceptions.js'

/** Not settings (HTTPHandler's reserved names, plus what it reads itself). */
const RESERVED = new Set([
  'compress',
  'decompress',
  'user',
  'password',
  'quota_key',
  'query_id',
  'stacktrace',
  'buffer_size',
  'wait_end_of_query',
  'session_id',
  'session_timeout',
  'session_check',
  'client_protocol_version',
  'close_session',
  'role',
  'query',
  'database',
  'default_format',
])

/**
 * Settings of the HTTP layer itself: a server reads them to shape the response, and the embedded
 * engine has no HTTP layer (it refuses some of them as unknown), so the front keeps them.
 */
const HTTP_SETTINGS = new Set([
  'enable_http_compression',
  'http_zlib_compression_level',
  'send_progress_in_http_headers',
  'http_headers_progress_interval_ms',
  'http_wait_end_of_query',
  'http_response_buffer_size',
  'cancel_http_readonly_queries_on_client_close',
  'add_http_cors_header',
  'http_write_exception_in_output_format',
  'http_native_compression_disable_checksumming_on_decompress',
])

const MAX_SESSION_TIMEOUT_S = 3600
const DEFAULT_SESSION_TIMEOUT_S = 60

export interface SessionRequest {
  id: string
  timeoutS: number
  /** session_check=1: the session must exist already. */
  check: boolean
  /** close_session=1: the session ends after this query. */
  close: boolean
}

export interface QueryRequest {
  /** The whole query text (URL query, line break, body), unless `insert` is set. */
  text: string
  /** `INSERT … FORMAT X` in the URL and the rows in the body: handed to the engine as bytes. */
  insert?: { statement: string; data: Buffer }
  params: Record<string, string>
  settings: Record<string, string>
  httpSettings: Record<string, string>
  database?: string
  defaultFormat?: string
  queryId: string
  session?: SessionRequest
  credentials: { user: string; password: string }
  /** GET requests run read-only (readonly=2), like a server's. */
  readOnly: boolean
}

export function readQueryRequest(
  method: string,
  url: URL,
  headers: Record<string, string | undefined>,
  body: Buffer,
): QueryRequest {
  const search = url.searchParams
  if ((headers['content-type'] ?? '').startsWith('multipart/form-data')) {
    throw ClickHouseException.of(
      'NOT_IMPLEMENTED',
      'front: multipart bodies (external data, multipart query parameters) are not emulated',
    )
  }
  for (const name of ['compress', 'decompress']) {
    if (isTrue(search.get(name)))
      throw ClickHouseException.of(
        'NOT_IMPLEMENTED',
        `front: ${name}=1 (ClickHouse native compression) is not emulated`,
      )
  }
  const params: Record<string, string> = {}
  const settings: Record<string, string> = {}
  const httpSettings: Record<string, string> = {}
  for (const [key, value] of search) {
    if (key === '' || RESERVED.has(key)) continue
    if (key.startsWith('param_')) params[key.slice('param_'.length)] ??= value
    else if (HTTP_SETTINGS.has(key)) httpSettings[key] = value
    else settings[key] = value
  }
  const urlQuery = search.get('query') ?? ''
  const hasBody = body.length > 0
  const isInsert = urlQuery !== '' && hasBody && Object.keys(params).length === 0 && /^\s*INSERT\s/i.test(urlQuery)
  return {
    text: isInsert
      ? urlQuery
      : urlQuery === ''
        ? body.toString('utf8')
        : hasBody
          ? `${urlQuery}\n${body.toString('utf8')}`
          : urlQuery,
    ...(isInsert ? { insert: { statement: urlQuery, data: body } } : {}),
    params,
    settings,
    httpSettings,
    ...optional('database', headers['x-clickhouse-database'] || search.get('database') || undefined),
    ...optional('defaultFormat', headers['x-clickhouse-format'] || search.get('default_format') || undefined),
    queryId: search.get('query_id') || headers['x-clickhouse-query-id'] || randomUUID(),
    ...optional('session', readSession(search)),
    credentials: readCredentials(search, headers),
    readOnly: method === 'GET' || method === 'HEAD',
  }
}

function readSession(search: URLSearchParams): SessionRequest | undefined {
  const id = search.get('session_id')
  if (!id) return undefined
  const raw = search.get('session_timeout')
  let timeoutS = DEFAULT_SESSION_TIMEOUT_S
  if (raw !== null) {
    if (!/^\d+$/.test(raw)) throw ClickHouseException.of('INVALID_SESSION_TIMEOUT', `Invalid session timeout: '${raw}'`)
    timeoutS = Number(raw)
    if (timeoutS > MAX_SESSION_TIMEOUT_S) {
      throw ClickHouseException.of(
        'INVALID_SESSION_TIMEOUT',
        `Session timeout '${raw}' is larger than max_session_timeout: ${MAX_SESSION_TIMEOUT_S}`,
      )
    }
  }
  return { id, timeoutS, check: isTrue(search.get('session_check')), close: isTrue(search.get('close_session')) }
}

function readCredentials(
  search: URLSearchParams,
  headers: Record<string, string | undefined>,
): { user: string; password: string } {
  const headerUser = headers['x-clickhouse-user'] ?? ''
  const headerKey = headers['x-clickhouse-key'] ?? ''
  const authorization = headers.authorization ?? ''
  const inParams = search.has('user') || search.has('password')
  const schemes = [headerUser !== '' || headerKey !== '', authorization !== '', inParams].filter(Boolean).length
  if (schemes > 1) {
    throw ClickHouseException.of(
      'AUTHENTICATION_FAILED',
      'Invalid authentication: it is not allowed to use more than one authentication scheme at once',
    )
  }
  if (headerUser !== '' || headerKey !== '') return { user: headerUser || 'default', password: headerKey }
  if (authorization !== '') {
    const basic = /^Basic\s+(\S+)$/i.exec(authorization)
    if (!basic)
      throw ClickHouseException.of(
        'AUTHENTICATION_FAILED',
        `Invalid authentication: '${authorization.split(' ')[0]}' HTTP Authorization scheme is not supported`,
      )
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    return colon < 0
      ? { user: decoded, password: '' }
      : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
  }
  return { user: search.get('user') ?? 'default', password: search.get('password') ?? '' }
}

const isTrue = (value: string | null) => value === '1' || value === 'true'

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}
