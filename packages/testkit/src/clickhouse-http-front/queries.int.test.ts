/**
 * The ClickHouse HTTP front answers queries as a server does, through `@clickhouse/client`.
 * Expected values for parameter binding are those of the client's own integration tests
 * (ClickHouse/clickhouse-js, select_query_binding.test.ts), which run against a real server.
 */
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startClickHouseFront, type ClickHouseFront } from './index.js'

let front: ClickHouseFront
let client: ClickHouseClient
beforeAll(async () => {
  front = await startClickHouseFront({ user: 'sightline', password: 's3cret' })
  client = createClient({
    url: front.url,
    username: front.user,
    password: front.password,
    log: { level: ClickHouseLogLevel.OFF },
  })
})
afterAll(async () => {
  await client?.close()
  await front?.stop()
})

const text = async (
  query: string,
  query_params: Record<string, unknown> = {},
  format: 'CSV' | 'TabSeparated' = 'CSV',
) => (await client.query({ query, query_params, format })).text()

describe('bound parameters (param_*)', () => {
  it('binds numbers, booleans, dates, arrays and maps as a server does', async () => {
    expect(
      await text('SELECT number FROM system.numbers WHERE number > {min_limit: UInt64} LIMIT 3', { min_limit: 2 }),
    ).toBe('3\n4\n5\n')
    expect(await text('SELECT and({val1: Boolean}, {val2: Boolean})', { val1: true, val2: false })).toBe('false\n')
    expect(
      await text('SELECT toDateTime64({min_time: DateTime64(3)}, 3)', {
        min_time: new Date(Date.UTC(2022, 4, 2, 13, 25, 55, 789)),
      }),
    ).toBe('"2022-05-02 13:25:55.789"\n')
    expect(
      await text('SELECT arrayConcat({arr1: Array(String)}, {arr2: Array(String)})', {
        arr1: ['1', '2'],
        arr2: ['3', '4'],
      }),
    ).toBe(`"['1','2','3','4']"\n`)
    expect(await text('SELECT mapKeys({obj: Map(String, UInt32)})', { obj: { id: 42 } })).toBe(`"['id']"\n`)
  })

  it('binds string text unchanged: quotes, backslashes, tabs, newlines, non-ASCII, NULL', async () => {
    expect(await text('SELECT concat({str1: String},{str2: String})', { str1: "co'n", str2: "ca't" })).toBe(
      '"co\'nca\'t"\n',
    )
    expect(await text('SELECT concat({str1: String},{str2: String})', { str1: '𝓯𝓸𝓸', str2: '𝓫𝓪𝓻' })).toBe('"𝓯𝓸𝓸𝓫𝓪𝓻"\n')
    const tricky = "a\\b\tc\nd'e\\'f"
    const rows = await (
      await client.query({
        query: 'SELECT {s:String} AS s, {a:Array(String)} AS a, {n:Nullable(String)} AS n',
        query_params: { s: tricky, a: [tricky, ''], n: null },
        format: 'JSONEachRow',
      })
    ).json()
    expect(rows).toEqual([{ s: tricky, a: [tricky, ''], n: null }])
  })

  it('binds a DateTime64(9) given as text, and a UInt64 above 2^53, exactly', async () => {
    const rows = await (
      await client.query({
        query: "SELECT toString({t:DateTime64(9, 'UTC')}) AS t, toString({u:UInt64}) AS u",
        query_params: { t: '2026-01-02 03:04:05.123456789', u: '18446744073709551615' },
        format: 'JSONEachRow',
      })
    ).json()
    expect(rows).toEqual([{ t: '2026-01-02 03:04:05.123456789', u: '18446744073709551615' }])
  })

  it('refuses a query whose parameter is missing (UNKNOWN_QUERY_PARAMETER)', async () => {
    await expect(client.query({ query: 'SELECT {min_limit: UInt64}' })).rejects.toMatchObject({
      code: '456',
      type: 'UNKNOWN_QUERY_PARAMETER',
    })
  })
})

describe('settings, database and format per query', () => {
  it('applies URL settings to that query only', async () => {
    const maxThreads = async (settings: Record<string, string | number> = {}) =>
      (
        await (
          await client.query({
            query: "SELECT getSetting('max_threads') AS m",
            clickhouse_settings: settings,
            format: 'JSONEachRow',
          })
        ).json<{ m: number }>()
      )[0]?.m
    const before = await maxThreads()
    expect(await maxThreads({ max_threads: 1 })).toBe(1)
    expect(await maxThreads()).toBe(before)
    // HTTP-layer settings (which the embedded engine does not know) are accepted, as by a server.
    expect(
      await maxThreads({
        wait_end_of_query: 1,
        send_progress_in_http_headers: 1,
        http_headers_progress_interval_ms: '100',
      }),
    ).toBe(before)
  })

  it("never hands one request's SET, USE or temporary table to the next (contexts reused as applied)", async () => {
    const threads = async () =>
      (await client.query({ query: "SELECT getSetting('max_threads') AS m", format: 'JSONEachRow' })).json<{
        m: number
      }>()
    const before = await threads()
    for (let i = 0; i < 3; i++) {
      await client.command({ query: 'SET max_threads = 1' })
      await client.command({ query: 'CREATE TEMPORARY TABLE leak (x UInt8)' })
      await client.command({ query: 'USE system' })
      expect(await threads()).toEqual(before)
      expect(await text('SELECT currentDatabase()')).toBe('"default"\n')
      await expect(client.query({ query: 'SELECT * FROM leak' })).rejects.toMatchObject({ type: 'UNKNOWN_TABLE' })
    }
  })

  it('refuses an unknown setting with UNKNOWN_SETTING and 404', async () => {
    const res = await fetch(`${front.url}/?nope_setting=1`, { method: 'POST', body: 'SELECT 1', headers: auth() })
    expect(res.status).toBe(404)
    expect(res.headers.get('x-clickhouse-exception-code')).toBe('115')
    expect(await res.text()).toMatch(
      /^Code: 115\. DB::Exception: .*Unknown setting.*\(UNKNOWN_SETTING\) \(version 26\.\d/,
    )
  })

  it('runs in the `database` given, for that query only', async () => {
    await client.command({ query: 'CREATE DATABASE IF NOT EXISTS other' })
    await client.command({ query: 'CREATE TABLE IF NOT EXISTS other.t (x UInt8) ENGINE = MergeTree ORDER BY x' })
    const inOther = createClient({
      url: front.url,
      username: front.user,
      password: front.password,
      database: 'other',
      log: { level: ClickHouseLogLevel.OFF },
    })
    try {
      expect(
        await (
          await inOther.query({
            query: 'SELECT currentDatabase() AS db, toUInt8(count()) AS n FROM t',
            format: 'JSONEachRow',
          })
        ).json(),
      ).toEqual([{ db: 'other', n: 0 }])
    } finally {
      await inOther.close()
    }
    expect(await text('SELECT currentDatabase()')).toBe('"default"\n')
    const res = await fetch(`${front.url}/?database=missing_db`, { method: 'POST', body: 'SELECT 1', headers: auth() })
    expect(res.status).toBe(404)
    expect(res.headers.get('x-clickhouse-exception-code')).toBe('81')
  })

  it('answers in default_format unless the query names one, and says which in X-ClickHouse-Format', async () => {
    const plain = await fetch(`${front.url}/`, { method: 'POST', body: 'SELECT 1 AS x', headers: auth() })
    expect([plain.headers.get('x-clickhouse-format'), await plain.text()]).toEqual(['TabSeparated', '1\n'])
    const json = await fetch(`${front.url}/?default_format=JSONEachRow`, {
      method: 'POST',
      body: 'SELECT 1 AS x',
      headers: auth(),
    })
    expect([json.headers.get('x-clickhouse-format'), json.headers.get('content-type'), await json.text()]).toEqual([
      'JSONEachRow',
      'application/json; charset=UTF-8',
      '{"x":1}\n',
    ])
    const named = await fetch(`${front.url}/?default_format=JSONEachRow`, {
      method: 'POST',
      body: 'SELECT 1 AS x FORMAT CSV',
      headers: auth(),
    })
    expect([named.headers.get('x-clickhouse-format'), await named.text()]).toEqual(['CSV', '1\n'])
  })
})

describe('the query in the URL, in the body, or both', () => {
  it('reads `query` from the URL and appends the body after a line break', async () => {
    const inUrl = await fetch(`${front.url}/?query=${encodeURIComponent('SELECT 40 + 2')}`, {
      method: 'POST',
      headers: auth(),
      body: '',
    })
    expect(await inUrl.text()).toBe('42\n')
    const split = await fetch(`${front.url}/?query=${encodeURIComponent('SELECT 1 +')}`, {
      method: 'POST',
      headers: auth(),
      body: '2',
    })
    expect(await split.text()).toBe('3\n')
  })

  it('runs GET queries read-only (readonly=2), as a server does', async () => {
    const read = await fetch(`${front.url}/?query=${encodeURIComponent('SELECT 7')}`, { headers: auth() })
    expect([read.status, await read.text()]).toEqual([200, '7\n'])
    const write = await fetch(`${front.url}/?query=${encodeURIComponent('CREATE TABLE g (x UInt8) ENGINE = Memory')}`, {
      headers: auth(),
    })
    expect(write.headers.get('x-clickhouse-exception-code')).toBe('164')
    expect(await write.text()).toMatch(/\(READONLY\)/)
  })

  it('answers /ping and GET / with Ok., and an unknown path with 404', async () => {
    expect(await client.ping()).toEqual({ success: true })
    expect(await (await fetch(`${front.url}/ping`)).text()).toBe('Ok.\n')
    expect(await (await fetch(`${front.url}/`)).text()).toBe('Ok.\n')
    expect((await fetch(`${front.url}/nowhere`)).status).toBe(404)
  })
})

function auth(): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${front.user}:${front.password}`).toString('base64')}` }
}
