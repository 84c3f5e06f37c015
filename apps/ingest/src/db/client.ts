import path from 'node:path'
import { Readable } from 'node:stream'
import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client'
import { createChdbConnection, type ChdbConnection } from 'chdb/connection'
import type { Env } from '../env.js'
import { ensurePrivateDir } from '../private-files.js'
import { build, type SqlFragment } from './sql.js'
import { drainBeforeClose } from './store-gate.js'
import { dialectFor, type StoreDialect } from './store-dialect.js'

/**
 * The one owner of the ClickHouse connection in this process. chDB binds one data directory per
 * process, so nothing else may open one.
 *
 * What differs between the embedded store, a server and a cluster (settings per query, insert
 * settings, the migrations' form) is decided by the dialect (store-dialect.ts) and applied here.
 * Inserts are synchronous (`async_insert=0`) because an acknowledged span must be on disk, and the
 * writer batches on its own.
 */
/** Insert formats whose rows carry values only, in a given column order. */
export type ValuesFormat = 'TabSeparated' | 'JSONCompactEachRow'

export interface Store {
  readonly kind: 'chdb' | 'server'
  readonly dialect: StoreDialect
  readonly client: ClickHouseClient
  /** Rows of one table as JSONEachRow text; a repeated `dedupToken` is stored once. */
  insertJsonEachRow(table: string, body: Buffer, dedupToken: string): Promise<void>
  /**
   * Rows as values only, in `columns` order: TabSeparated lines (ingest/tsv-row.ts) or
   * JSONCompactEachRow (spool segments of older versions); same dedup rule.
   */
  insertValues(
    table: string,
    columns: readonly string[],
    format: ValuesFormat,
    body: Buffer,
    dedupToken: string,
  ): Promise<void>
  query<T>(fragment: SqlFragment): Promise<T[]>
  /**
   * Rows as arrays of values in the SELECT's column order (JSONCompactEachRow): for wide rows in bulk
   * (a 100k-span trace) the store writes and the process parses less than half the text of `query`.
   */
  queryValues(fragment: SqlFragment): Promise<unknown[][]>
  /**
   * One array of values per column of the SELECT, by name (JSONColumnsWithMetadata): the whole result
   * is one JSON document, parsed in one pass instead of a parse per row (a 100k-span trace read).
   */
  queryColumns(fragment: SqlFragment): Promise<{ rows: number; columns: Record<string, unknown[]> }>
  command(fragment: SqlFragment): Promise<void>
  close(): Promise<void>
}

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>

export function createStore(env: Env): Store {
  const dialect = dialectFor(env)
  if (dialect.mode === 'embedded') return createChdbStore(path.resolve(env.SIGHTLINE_DATA_DIR, 'clickhouse'), dialect)
  return createServerStore(env, dialect)
}

/**
 * Queries carry no settings of their own: a server's client sends the dialect's settings with every
 * request (createServerStore), and chDB's must get none (they would stay in its session).
 */
function baseMethods(client: ClickHouseClient) {
  return {
    async query<T>(fragment: SqlFragment): Promise<T[]> {
      const { query, params } = build(fragment)
      const result = await client.query({ query, query_params: params, format: 'JSONEachRow' })
      return result.json<T>()
    },
    async queryValues(fragment: SqlFragment): Promise<unknown[][]> {
      const text = await bulkText(client, fragment, 'JSONCompactEachRow')
      // One parse for every row: the lines are values arrays, so joined they form one array.
      return text === '' ? [] : (JSON.parse(`[${text.trimEnd().replaceAll('\n', ',')}]`) as unknown[][])
    },
    async queryColumns(fragment: SqlFragment): Promise<{ rows: number; columns: Record<string, unknown[]> }> {
      const text = await bulkText(client, fragment, 'JSONColumnsWithMetadata')
      const { rows, data } = JSON.parse(text) as { rows: number; data: Record<string, unknown[]> }
      return { rows, columns: data }
    },
    async command(fragment: SqlFragment): Promise<void> {
      const { query, params } = build(fragment)
      await client.command({ query, query_params: params })
    },
    close: () => client.close(),
  }
}

/**
 * A bulk read's whole answer as text, through `exec` (the raw body) rather than `query`: the client
 * decodes a result with a streaming TextDecoder, 3–4× slower than Buffer#toString on the 32 MB that
 * a 100k-span trace's skeleton is (~0.3 s of a cold open). The format goes in the SQL text, which
 * both chDB and a server's HTTP interface honour.
 */
async function bulkText(client: ClickHouseClient, fragment: SqlFragment, format: string): Promise<string> {
  const { query, params } = build(fragment)
  const { stream } = await client.exec({ query: `${query}\nFORMAT ${format}`, query_params: params })
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8')
}

/** Table and column names come from our own constants; still, only plain identifiers reach SQL text. */
function insertStatement(table: string, columns: readonly string[] | undefined, format: string): string {
  for (const name of [table, ...(columns ?? [])])
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not an identifier: ${name}`)
  return `INSERT INTO ${table}${columns ? ` (${columns.join(', ')})` : ''} FORMAT ${format}`
}

function createChdbStore(dataDir: string, dialect: StoreDialect): Store {
  ensurePrivateDir(dataDir)
  const connection: ChdbConnection = createChdbConnection({ path: dataDir })
  // chdb types its connection against @clickhouse/client-common, which the client now bundles:
  // the shapes are identical, the declarations are not.
  const client = createClient({ connection: connection as unknown as ClientConnection })
  return drainBeforeClose({
    kind: 'chdb',
    dialect,
    client,
    ...baseMethods(client),
    async insertJsonEachRow(table, body, dedupToken) {
      // rawInsert hands the Buffer to chDB zero-copy; its settings apply to this insert only.
      await connection.chdb.rawInsert({
        table,
        values: body,
        format: 'JSONEachRow',
        settings: dialect.insertSettings(dedupToken),
      })
    },
    async insertValues(table, columns, format, body, dedupToken) {
      await connection.chdb.rawInsert({
        table,
        columns,
        values: body,
        format,
        settings: dialect.insertSettings(dedupToken),
      })
    },
  })
}

function createServerStore(env: Env, dialect: StoreDialect): Store {
  const client = createClient({
    url: env.CLICKHOUSE_URL,
    username: env.CLICKHOUSE_USER,
    password: env.CLICKHOUSE_PASSWORD,
    database: env.CLICKHOUSE_DATABASE,
    // Sent as URL parameters with every request, applied to that request only.
    clickhouse_settings: dialect.querySettings,
    // The client would log a failed insert's exception text, which quotes the refused row (user
    // data); the writer logs the error's name and code instead (ingest/store-refusal.ts).
    log: { level: ClickHouseLogLevel.OFF },
  })
  /**
   * The rows are already encoded (a spool segment), so they go as the body of `INSERT … FORMAT X`
   * through exec: client.insert only takes values to encode itself, and sends a Buffer in an
   * object stream as `{"type":"Buffer",…}`.
   */
  const insertBytes = async (statement: string, body: Buffer, dedupToken: string) => {
    const result = await client.exec({
      query: statement,
      values: Readable.from([body], { objectMode: false }),
      clickhouse_settings: dialect.insertSettings(dedupToken),
    })
    for await (const _ of result.stream) void _
  }
  return drainBeforeClose({
    kind: 'server',
    dialect,
    client,
    ...baseMethods(client),
    insertJsonEachRow: (table, body, dedupToken) =>
      insertBytes(insertStatement(table, undefined, 'JSONEachRow'), body, dedupToken),
    insertValues: (table, columns, format, body, dedupToken) =>
      insertBytes(insertStatement(table, columns, format), body, dedupToken),
  })
}
