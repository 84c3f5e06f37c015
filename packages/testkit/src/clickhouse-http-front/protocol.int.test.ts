/**
 * The ClickHouse HTTP front speaks the protocol around the queries as a server does: inserts with
 * the rows in the body and `X-ClickHouse-Summary`, deduplication tokens, named sessions, the
 * exception format and statuses, gzip both ways, and credentials.
 */
import net from 'node:net'
import { Readable } from 'node:stream'
import zlib from 'node:zlib'
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startClickHouseFront, type ClickHouseFront } from './index.js'

let front: ClickHouseFront
let client: ClickHouseClient
const quiet = { log: { level: ClickHouseLogLevel.OFF } }
beforeAll(async () => {
  front = await startClickHouseFront({ user: 'sightline', password: 's3cret' })
  client = createClient({ url: front.url, username: front.user, password: front.password, ...quiet })
  await client.command({
    query:
      "CREATE TABLE rows (id UInt32, name String, note String DEFAULT '-') ENGINE = MergeTree ORDER BY id SETTINGS " +
      'non_replicated_deduplication_window = 100',
  })
})
afterAll(async () => {
  await client?.close()
  await front?.stop()
})

const basic = (user = front.user, password = front.password) => ({
  Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
})
const count = async (where = '1') =>
  Number(
    (
      await (
        await client.query({ query: `SELECT count() AS n FROM rows WHERE ${where}`, format: 'JSONEachRow' })
      ).json<{ n: string }>()
    )[0]?.n,
  )
/**
 * Pre-encoded rows as the body of `INSERT … FORMAT X` (the statement in the URL), as the product sends spool segments.
 */
async function insertBytes(format: string, columns: string, body: string, token: string) {
  const result = await client.exec({
    query: `INSERT INTO rows ${columns} FORMAT ${format}`,
    values: Readable.from([Buffer.from(body)], { objectMode: false }),
    clickhouse_settings: { insert_deduplication_token: token },
  })
  for await (const _ of result.stream) void _
  return result
}

describe('inserts', () => {
  it('stores JSONCompactEachRow in a column list, counts rows in X-ClickHouse-Summary, dedups by token', async () => {
    const first = await insertBytes('JSONCompactEachRow', '(id, name)', '[1,"a"]\n[2,"b"]\n', 'segment-1')
    expect(first.summary).toMatchObject({ written_rows: '2' })
    await insertBytes('JSONCompactEachRow', '(id, name)', '[1,"a"]\n[2,"b"]\n', 'segment-1')
    expect(await count('id IN (1, 2)')).toBe(2)
    expect(
      await (await client.query({ query: 'SELECT note FROM rows WHERE id = 1', format: 'JSONEachRow' })).json(),
    ).toEqual([{ note: '-' }])
    await insertBytes('JSONCompactEachRow', '(id, name)', '[1,"a"]\n[2,"b"]\n', 'segment-2')
    expect(await count('id IN (1, 2)')).toBe(4)
  })

  it('stores JSONEachRow objects sent by client.insert', async () => {
    const result = await client.insert({
      table: 'rows',
      values: [
        { id: 10, name: 'x' },
        { id: 11, name: 'y' },
      ],
      format: 'JSONEachRow',
    })
    expect(result.executed).toBe(true)
    expect(await count('id >= 10')).toBe(2)
  })

  it('refuses a bad row with the parse error, and stores nothing of that insert', async () => {
    await expect(
      insertBytes('JSONCompactEachRow', '(id, name)', '[20,"ok"]\n["x","bad"]\n', 'bad-1'),
    ).rejects.toMatchObject({ type: 'CANNOT_PARSE_INPUT_ASSERTION_FAILED' })
    expect(await count('id = 20')).toBe(0)
  })
})

describe('named sessions (session_id)', () => {
  it('keeps SET and temporary tables between requests of a session, and nothing outside it', async () => {
    const sessionId = `s-${Date.now()}`
    await client.command({ query: 'CREATE TEMPORARY TABLE tmp (id Int32, name String)', session_id: sessionId })
    await client.insert({
      table: 'tmp',
      values: [{ id: 42, name: 'foo' }],
      format: 'JSONEachRow',
      session_id: sessionId,
    })
    await client
      .exec({ query: "INSERT INTO tmp VALUES (43, 'bar')", session_id: sessionId })
      .then((r) => r.stream.resume())
    expect(
      await (
        await client.query({ query: 'SELECT * FROM tmp ORDER BY id', format: 'JSONEachRow', session_id: sessionId })
      ).json(),
    ).toEqual([
      { id: 42, name: 'foo' },
      { id: 43, name: 'bar' },
    ])
    await expect(client.query({ query: 'SELECT * FROM tmp' })).rejects.toMatchObject({ type: 'UNKNOWN_TABLE' })
  })

  it('applies URL settings to one query of a session, and keeps what the session SET', async () => {
    const sessionId = `s-settings-${Date.now()}`
    const threads = async (settings: Record<string, number> = {}) =>
      (
        await (
          await client.query({
            query: "SELECT getSetting('max_threads') AS m",
            format: 'JSONEachRow',
            session_id: sessionId,
            clickhouse_settings: settings,
          })
        ).json<{ m: number }>()
      )[0]?.m
    await client.command({ query: 'SET max_threads = 3', session_id: sessionId })
    expect(await threads({ max_threads: 1 })).toBe(1)
    expect(await threads()).toBe(3)
    await client.command({ query: 'SET max_threads = DEFAULT', session_id: sessionId })
    expect(await threads({ max_threads: 1 })).toBe(1)
    expect(await threads()).not.toBe(1)
  })

  it('refuses a concurrent request on a session (SESSION_IS_LOCKED), an unknown one with session_check=1', async () => {
    const sessionId = `s-lock-${Date.now()}`
    const slow = client.query({ query: 'SELECT sleep(1)', session_id: sessionId, format: 'JSONEachRow' })
    await new Promise((resolve) => setTimeout(resolve, 200))
    await expect(client.query({ query: 'SELECT 1', session_id: sessionId })).rejects.toMatchObject({
      code: '373',
      type: 'SESSION_IS_LOCKED',
    })
    await (await slow).json()
    const res = await fetch(`${front.url}/?session_id=never-seen&session_check=1`, {
      method: 'POST',
      body: 'SELECT 1',
      headers: basic(),
    })
    expect(res.headers.get('x-clickhouse-exception-code')).toBe('372')
  })
})

describe('exceptions', () => {
  it('answers the exception text, its code header and the status the server maps it to', async () => {
    const cases: Array<[string, number, string]> = [
      ['SELECT * FROM no_such_table', 404, '60'],
      ['SELEC 1', 400, '62'],
      ["SELECT throwIf(1, 'simulated failure')", 500, '395'],
    ]
    for (const [query, status, code] of cases) {
      const res = await fetch(`${front.url}/?query_id=q-${code}`, { method: 'POST', body: query, headers: basic() })
      const body = await res.text()
      expect([
        res.status,
        res.headers.get('x-clickhouse-exception-code'),
        res.headers.get('x-clickhouse-query-id'),
      ]).toEqual([status, code, `q-${code}`])
      expect(body).toMatch(
        new RegExp(`^Code: ${code}\\. DB::Exception: [\\s\\S]+\\([A-Z_]+\\) \\(version 26\\.[0-9.]+\\)\\n$`),
      )
    }
    await expect(client.query({ query: 'SELECT * FROM no_such_table' })).rejects.toMatchObject({
      code: '60',
      type: 'UNKNOWN_TABLE',
    })
  })

  it('refuses a POST without Content-Length or chunked body (HTTP_LENGTH_REQUIRED, 411)', async () => {
    // Written on a raw socket: Node's own client always adds one of the two headers.
    const url = new URL(front.url)
    const head = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => {
        socket.end(
          `POST /?query=SELECT%201 ` +
            `HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: ${basic().Authorization}\r\nConnection: close\r\n\r\n`,
        )
      })
      let received = ''
      socket.on('data', (chunk) => (received += chunk.toString('latin1')))
      socket.on('end', () => resolve(received))
      socket.on('error', reject)
    })
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1])
    expect(head).toMatch(/X-ClickHouse-Exception-Code: 381/i)
    expect(status).toBe(411)
  })
})

describe('compression', () => {
  it('reads gzip (Content-Encoding), answers gzip if asked (enable_http_compression, Accept-Encoding)', async () => {
    const zipped = createClient({
      url: front.url,
      username: front.user,
      password: front.password,
      compression: { request: true, response: true },
      ...quiet,
    })
    try {
      await zipped.insert({ table: 'rows', values: [{ id: 30, name: 'gz' }], format: 'JSONEachRow' })
      expect(
        await (await zipped.query({ query: 'SELECT name FROM rows WHERE id = 30', format: 'JSONEachRow' })).json(),
      ).toEqual([{ name: 'gz' }])
      await expect(zipped.query({ query: 'SELEC 1' })).rejects.toMatchObject({ type: 'SYNTAX_ERROR' })
    } finally {
      await zipped.close()
    }
    const raw = await fetch(`${front.url}/?enable_http_compression=1`, {
      method: 'POST',
      body: zlib.gzipSync('SELECT 5'),
      headers: { ...basic(), 'Content-Encoding': 'gzip', 'Accept-Encoding': 'gzip' },
    })
    expect(raw.headers.get('content-encoding')).toBe('gzip')
    expect(await raw.text()).toBe('5\n') // fetch inflates it
    const unasked = await fetch(`${front.url}/`, {
      method: 'POST',
      body: 'SELECT 6',
      headers: { ...basic(), 'Accept-Encoding': 'gzip' },
    })
    expect(unasked.headers.get('content-encoding')).toBeNull()
  })
})

describe('credentials', () => {
  it('accepts the configured user by Basic auth, X-ClickHouse-User/Key or URL parameters; others get 403', async () => {
    const ok = async (init: { path?: string; headers?: Record<string, string> }) =>
      (
        await fetch(`${front.url}/${init.path ?? ''}`, {
          method: 'POST',
          body: 'SELECT 1',
          headers: init.headers ?? {},
        })
      ).status
    expect(await ok({ headers: basic() })).toBe(200)
    expect(await ok({ headers: { 'X-ClickHouse-User': 'sightline', 'X-ClickHouse-Key': 's3cret' } })).toBe(200)
    expect(await ok({ path: '?user=sightline&password=s3cret' })).toBe(200)
    expect(await ok({ headers: basic('sightline', 'wrong') })).toBe(403)
    expect(await ok({})).toBe(403)
    // Two schemes at once are refused, as by a server.
    expect(await ok({ path: '?user=sightline&password=s3cret', headers: basic() })).toBe(403)
    const wrong = createClient({ url: front.url, username: 'sightline', password: 'wrong', ...quiet })
    await expect(wrong.query({ query: 'SELECT 1' })).rejects.toMatchObject({
      code: '516',
      type: 'AUTHENTICATION_FAILED',
    })
    await wrong.close()
  })
})
