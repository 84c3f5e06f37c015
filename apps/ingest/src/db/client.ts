import path from 'node:path'
import { Readable } from 'node:stream'
import { createClient, type ClickHouseClient } from '@clickhouse/client'
import { createChdbConnection, type ChdbConnection } from 'chdb/connection'
import type { Env } from '../env.js'
import { ensurePrivateDir } from '../private-files.js'
import { build, type SqlFragment } from './sql.js'

/**
 * The one owner of the ClickHouse connection in this process. chDB binds one data directory per
 * process, so nothing else may open one.
 *
 * Settings are never passed per call: through chDB they would leak into the session (see the
 * analytics design note). Inserts are synchronous (`async_insert=0`) because an acknowledged span
 * must be on disk, and the writer batches on its own.
 */
export interface Store {
  readonly kind: 'chdb' | 'server'
  readonly client: ClickHouseClient
  /** Rows of one table as JSONEachRow text; a repeated `dedupToken` is stored once. */
  insertJsonEachRow(table: string, body: Buffer, dedupToken: string): Promise<void>
  /** Rows as JSONCompactEachRow text (values only, in `columns` order); same dedup rule. */
  insertJsonCompactEachRow(table: string, columns: readonly string[], body: Buffer, dedupToken: string): Promise<void>
  query<T>(fragment: SqlFragment): Promise<T[]>
  command(fragment: SqlFragment): Promise<void>
  close(): Promise<void>
}

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>

/** Far above any spool segment (SPOOL_SEGMENT_BYTES): "never cut the input into blocks". */
const ONE_BLOCK = '4611686018427387904'

/**
 * Inserts are synchronous (durability) and deduplicated by token (spool replays). Parsing runs on one
 * thread, to leave the other core to the HTTP path: measured on 200k spans, chDB's own rate was
 * unchanged (28.5k vs 28.9k rows/s) and ack p99 at half load 110 vs 133 ms, within run-to-run noise.
 *
 * Each insert is one block, so a refused insert writes nothing and the writer can split a refused
 * segment and retry its parts under their own tokens without storing any row twice. Measured on
 * chDB 26.7 with a bad row last: with the squashing threshold at 1,000 rows, a refused 5,000-row
 * insert had already written 1,000 rows to `spans` and none to the rollups; with the defaults
 * (1,048,449 rows / 256 MiB) a refused 41 MB / 20k-row and an 85 MB / 300k-row insert wrote
 * nothing, so only segments past those thresholds were at risk; with the settings below nothing was
 * written either, and a good 41 MB insert took 1.2 s as before (1.1–1.3 s).
 */
const INSERT_SETTINGS = {
  async_insert: 0 as const,
  insert_deduplication_token: '',
  // A replayed segment must not be counted twice by the rollup views either (default 1 in chDB 26.7).
  deduplicate_blocks_in_dependent_materialized_views: 1 as const,
  max_insert_threads: '1',
  max_threads: 1,
  input_format_parallel_parsing: 0 as const,
  max_insert_block_size: ONE_BLOCK,
  min_insert_block_size_rows: ONE_BLOCK,
  min_insert_block_size_bytes: ONE_BLOCK,
}

export function createStore(env: Env): Store {
  if (env.CLICKHOUSE_URL) return createServerStore(env)
  return createChdbStore(path.resolve(env.SIGHTLINE_DATA_DIR, 'clickhouse'))
}

function baseMethods(client: ClickHouseClient) {
  return {
    async query<T>(fragment: SqlFragment): Promise<T[]> {
      const { query, params } = build(fragment)
      const result = await client.query({ query, query_params: params, format: 'JSONEachRow' })
      return result.json<T>()
    },
    async command(fragment: SqlFragment): Promise<void> {
      const { query, params } = build(fragment)
      await client.command({ query, query_params: params })
    },
    close: () => client.close(),
  }
}

function createChdbStore(dataDir: string): Store {
  ensurePrivateDir(dataDir)
  const connection: ChdbConnection = createChdbConnection({ path: dataDir })
  // chdb types its connection against @clickhouse/client-common, which the client now bundles:
  // the shapes are identical, the declarations are not.
  const client = createClient({ connection: connection as unknown as ClientConnection })
  return {
    kind: 'chdb',
    client,
    ...baseMethods(client),
    async insertJsonEachRow(table, body, dedupToken) {
      // rawInsert hands the Buffer to chDB zero-copy; its settings apply to this insert only.
      await connection.chdb.rawInsert({
        table,
        values: body,
        format: 'JSONEachRow',
        settings: { ...INSERT_SETTINGS, insert_deduplication_token: dedupToken },
      })
    },
    async insertJsonCompactEachRow(table, columns, body, dedupToken) {
      await connection.chdb.rawInsert({
        table,
        columns,
        values: body,
        format: 'JSONCompactEachRow',
        settings: { ...INSERT_SETTINGS, insert_deduplication_token: dedupToken },
      })
    },
  }
}

function createServerStore(env: Env): Store {
  const client = createClient({
    url: env.CLICKHOUSE_URL,
    username: env.CLICKHOUSE_USER,
    password: env.CLICKHOUSE_PASSWORD,
    database: env.CLICKHOUSE_DATABASE,
    clickhouse_settings: { async_insert: 0 },
  })
  return {
    kind: 'server',
    client,
    ...baseMethods(client),
    async insertJsonEachRow(table, body, dedupToken) {
      await client.insert({
        table,
        values: Readable.from([body]),
        format: 'JSONEachRow',
        clickhouse_settings: { ...INSERT_SETTINGS, insert_deduplication_token: dedupToken },
      })
    },
    async insertJsonCompactEachRow(table, columns, body, dedupToken) {
      await client.insert({
        table,
        columns: [...columns] as [string, ...string[]],
        values: Readable.from([body]),
        format: 'JSONCompactEachRow',
        clickhouse_settings: { ...INSERT_SETTINGS, insert_deduplication_token: dedupToken },
      })
    },
  }
}
