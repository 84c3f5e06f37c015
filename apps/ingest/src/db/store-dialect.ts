/**
 * Everything that differs between the three shapes of the store, in one place (with client.ts,
 * which applies it):
 * - `embedded`: chDB in this process. Settings are never sent with a query (chDB would keep them
 *   in the session for every later query); inserts carry theirs inline (rawInsert's SETTINGS).
 * - `server`: a ClickHouse server over HTTP (CLICKHOUSE_URL). Every request runs in its own query
 *   context, so settings travel with the query as URL parameters, which is where they belong; no
 *   HTTP session (`session_id`) is ever used, so no request depends on what an earlier one set.
 * - `cluster`: a server that is one node of a replicated cluster (CLICKHOUSE_CLUSTER). Migrations
 *   run in their cluster form (cluster-ddl.ts); inserts into Distributed tables wait until every
 *   shard has its rows (an acknowledged spool segment is deleted only then); subqueries over
 *   Distributed tables run once, on the node that got the query (`distributed_product_mode =
 *   'global'`), because the rollups of one series are spread over all shards.
 */
import type { ClickHouseSettings } from '@clickhouse/client'
import type { Env } from '../env.js'
import { rewriteForCluster, type TableCatalog } from './cluster-ddl.js'

type StoreMode = 'embedded' | 'server' | 'cluster'

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
  async_insert: 0,
  // A replayed segment must not be counted twice by the rollup views either (default 1 in chDB 26.7).
  deduplicate_blocks_in_dependent_materialized_views: 1,
  max_insert_threads: 1,
  max_threads: 1,
  input_format_parallel_parsing: 0,
  max_insert_block_size: ONE_BLOCK,
  min_insert_block_size_rows: ONE_BLOCK,
  min_insert_block_size_bytes: ONE_BLOCK,
} as const

const CLUSTER_INSERT_SETTINGS = {
  // The insert returns once every shard wrote its part (default: queued on this node, sent later).
  distributed_foreground_insert: 1,
} as const

export interface StoreDialect {
  readonly mode: StoreMode
  readonly cluster: string | undefined
  /** Sent with every query and command (server and cluster only; never through chDB). */
  readonly querySettings: ClickHouseSettings
  /** The settings of one insert carrying the segment's deduplication token. */
  insertSettings(dedupToken: string): Record<string, string | number>
  /** The statements to run for one statement of a migration file, in this store's form. */
  migrationStatements(statement: string, catalog: TableCatalog): string[]
}

export function dialectFor(env: Pick<Env, 'CLICKHOUSE_URL' | 'CLICKHOUSE_CLUSTER'>): StoreDialect {
  const mode: StoreMode = !env.CLICKHOUSE_URL ? 'embedded' : env.CLICKHOUSE_CLUSTER ? 'cluster' : 'server'
  const cluster = mode === 'cluster' ? env.CLICKHOUSE_CLUSTER : undefined
  return {
    mode,
    cluster,
    querySettings:
      mode === 'embedded'
        ? {}
        : mode === 'server'
          ? { async_insert: 0 }
          : { async_insert: 0, distributed_product_mode: 'global' },
    insertSettings: (dedupToken) => ({
      ...INSERT_SETTINGS,
      ...(mode === 'cluster' ? CLUSTER_INSERT_SETTINGS : {}),
      insert_deduplication_token: dedupToken,
    }),
    migrationStatements: (statement, catalog) =>
      cluster === undefined ? [statement] : rewriteForCluster(statement, cluster, catalog),
  }
}
