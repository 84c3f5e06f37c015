/**
 * What differs between the embedded store and a ClickHouse server (src/db/store-dialect.ts,
 * src/db/client.ts), checked in both: this file runs in the `int` project (embedded chDB) and in
 * `int-server` (the HTTP front over chDB), and asserts the same outcomes through the Store API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql, str } from '../../src/db/sql.js'
import { classifyStoreError } from '../../src/ingest/store-refusal.js'
import { tsvLine } from '../../src/ingest/tsv-row.js'
import { startTestServer, TEST_STORE, type TestServer } from '../helpers/server.js'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer()
  await server.deps.store.command(sql`CREATE TABLE dialect_rows (id UInt32, name String, note String DEFAULT '-')
    ENGINE = MergeTree ORDER BY id SETTINGS non_replicated_deduplication_window = 100`)
})
afterAll(async () => server?.stop())

const store = () => server.deps.store
const count = async (where = sql`1`) =>
  Number((await store().query<{ n: string }>(sql`SELECT count() AS n FROM dialect_rows WHERE ${where}`))[0]?.n)
const setting = async (name: string) =>
  (await store().query<{ v: string }>(sql`SELECT toString(getSetting(${str(name)})) AS v`))[0]?.v

describe(`the store's dialect (${TEST_STORE})`, () => {
  it('is the store under test', () => {
    expect(store().kind).toBe(TEST_STORE === 'server' ? 'server' : 'chdb')
    expect(store().dialect.mode).toBe(TEST_STORE === 'server' ? 'server' : 'embedded')
  })

  it('stores a compact insert with a column list, defaults other columns, stores a repeated token once', async () => {
    const rows = Buffer.from('[1,"a"]\n[2,"b"]\n')
    await store().insertValues('dialect_rows', ['id', 'name'], 'JSONCompactEachRow', rows, 'segment-1')
    await store().insertValues('dialect_rows', ['id', 'name'], 'JSONCompactEachRow', rows, 'segment-1')
    expect(await count()).toBe(2)
    expect(await store().query(sql`SELECT id, name, note FROM dialect_rows ORDER BY id`)).toEqual([
      { id: 1, name: 'a', note: '-' },
      { id: 2, name: 'b', note: '-' },
    ])
    await store().insertJsonEachRow('dialect_rows', Buffer.from('{"id":3,"name":"c"}\n'), 'segment-2')
    expect(await count()).toBe(3)
  })

  it('stores TabSeparated rows (the spool format): escapes, arrays, maps, nulls intact; a token once', async () => {
    await store().command(sql`CREATE TABLE IF NOT EXISTS dialect_tsv (id UInt32, name String,
      tags Array(LowCardinality(String)), attrs Map(LowCardinality(String), String),
      cost Nullable(Decimal(18, 10)), ok Bool) ENGINE = MergeTree ORDER BY id
      SETTINGS non_replicated_deduplication_window = 100`)
    const rows = [
      {
        id: 1,
        name: 'tab\there\nnew line \\ back \'q\' "dq" \r 東京',
        tags: ["it's", 'a\tb'],
        attrs: { "k'1": 'v\n1' },
        cost: null,
        ok: true,
      },
      { id: 2, name: '', tags: [], attrs: {}, cost: '0.0000012345', ok: false },
    ]
    const body = Buffer.from(rows.map((row) => tsvLine(row, ['id', 'name', 'tags', 'attrs', 'cost', 'ok'])).join(''))
    const columns = ['id', 'name', 'tags', 'attrs', 'cost', 'ok']
    await store().insertValues('dialect_tsv', columns, 'TabSeparated', body, 'tsv-1')
    await store().insertValues('dialect_tsv', columns, 'TabSeparated', body, 'tsv-1')
    const stored = await store().query<Record<string, unknown>>(
      sql`SELECT id, name, tags, attrs, toString(cost) AS cost, ok FROM dialect_tsv ORDER BY id`,
    )
    expect(stored).toEqual([
      { ...rows[0], cost: null },
      { ...rows[1], cost: '0.0000012345' },
    ])
    const refused = await store()
      .insertValues('dialect_tsv', ['id', 'name'], 'TabSeparated', Buffer.from('3\tok\nx\tbad\n'), 'tsv-bad')
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(classifyStoreError(refused).kind).toBe('row')
    expect(Number((await store().query<{ n: string }>(sql`SELECT count() AS n FROM dialect_tsv`))[0]?.n)).toBe(2)
  })

  it('keeps insert settings to the insert: later queries see the defaults', async () => {
    // Inserts run with max_threads = 1 (INSERT_SETTINGS); through chDB a setting sent with a call
    // would stay in the session, over HTTP each request has its own context.
    const before = await setting('max_threads')
    await store().insertValues(
      'dialect_rows',
      ['id', 'name'],
      'JSONCompactEachRow',
      Buffer.from('[4,"d"]\n'),
      'segment-3',
    )
    expect(await setting('max_threads')).toBe(before)
    expect(await setting('insert_deduplication_token')).toBe('')
  })

  it('sends the dialect settings with every query on a server, and none through chDB', async () => {
    // async_insert is on by default in chDB 26.7; the server store turns it off with every request.
    expect(store().dialect.querySettings).toEqual(TEST_STORE === 'server' ? { async_insert: 0 } : {})
    expect(await setting('async_insert')).toBe(TEST_STORE === 'server' ? 'false' : 'true')
  })

  it("applied the migrations' MODIFY SETTING to the tables an insert writes", async () => {
    const rows = await store().query<{ name: string; s: string }>(sql`
      SELECT name, create_table_query AS s FROM system.tables
      WHERE database = currentDatabase() AND name IN ('spans', 'trace_index', 'traces', 'agg_5m',
        'agg_1h') ORDER BY name`)
    expect(rows.map((r) => r.name)).toEqual(['agg_1h', 'agg_5m', 'spans', 'trace_index', 'traces'])
    for (const row of rows) expect(row.s, row.name).toMatch(/fsync_after_insert = 1, fsync_part_directory = 1/)
  })

  it('reports a refused row as the same error, classified the same way', async () => {
    const error = await store()
      .insertValues(
        'dialect_rows',
        ['id', 'name'],
        'JSONCompactEachRow',
        Buffer.from('[5,"ok"]\n["x","bad"]\n'),
        'segment-bad',
      )
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(classifyStoreError(error)).toMatchObject({ kind: 'row', reason: 'CANNOT_PARSE_INPUT_ASSERTION_FAILED (27)' })
    expect(await count(sql`id = 5`)).toBe(0)
    const missing = await store()
      .query(sql`SELECT * FROM no_such_table`)
      .then(
        () => undefined,
        (e: unknown) => e,
      )
    expect(missing).toMatchObject({ code: '60', type: 'UNKNOWN_TABLE' })
  })
})
