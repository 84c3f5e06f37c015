import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { Logger } from '../logger.js'
import type { Store } from './client.js'
import type { TableCatalog } from './cluster-ddl.js'
import { sql, str } from './sql.js'

/**
 * Applies `packages/schema/migrations/NNNN_name.sql` in order at start-up and records each in
 * `schema_migrations`. Every statement is written `IF NOT EXISTS`, so a migration interrupted
 * half-way is simply applied again. On a cluster each statement runs in its cluster form
 * (the store's dialect, cluster-ddl.ts).
 */
export async function migrate(store: Store, logger: Logger, dir = migrationsDir()): Promise<string[]> {
  const files = migrationFiles(dir)
  // The cluster form of `CREATE TABLE b AS a` needs a's engine, which an earlier file may hold.
  const catalog: TableCatalog = new Map()
  await ensureBootstrapTables(store, catalog)
  const done = await appliedVersions(store)
  const applied: string[] = []
  for (const { file, text } of files) {
    const version = file.replace(/\.sql$/, '')
    const statements = splitStatements(text).flatMap((statement) =>
      store.dialect.migrationStatements(statement, catalog),
    )
    if (done.has(version)) continue
    for (const statement of statements) await store.client.command({ query: statement })
    await store.command(sql`INSERT INTO schema_migrations (version) VALUES (${str(version)})`)
    applied.push(version)
    logger.info('migration applied', { version })
  }
  return applied
}

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
  ENGINE = ReplacingMergeTree ORDER BY version`

/**
 * Leases of singleton jobs (src/coordination/lease.ts), migrations included, so this table exists
 * before any migration runs. A lease is a sequence of epochs; the holder of the newest renews it by
 * inserting a row, and it is free once its newest row is older than the lease time (store clock).
 * Claiming epoch N+1 is one insert under the deduplication token `lease:<name>:<N+1>`: of two
 * replicas claiming one epoch the store keeps the first insert and drops the other, so reading the
 * epoch back names one holder for both. Renewals carry unique tokens. Rows of one epoch collapse on
 * merge, one per fail-over remains (no TTL: a vanished epoch would let a later claim of it be
 * dropped as a duplicate).
 */
const LEASES_TABLE = `CREATE TABLE IF NOT EXISTS leases
  (name LowCardinality(String), epoch UInt64, holder String, renewed_at DateTime64(3, 'UTC') DEFAULT now64(3))
  ENGINE = ReplacingMergeTree(renewed_at) ORDER BY (name, epoch)
  SETTINGS non_replicated_deduplication_window = 1000`

/** The tables the migrator itself needs, in this store's form. */
export async function ensureBootstrapTables(store: Store, catalog: TableCatalog = new Map()): Promise<void> {
  for (const table of [MIGRATIONS_TABLE, LEASES_TABLE]) {
    for (const statement of store.dialect.migrationStatements(table, catalog))
      await store.client.command({ query: statement })
  }
}

async function appliedVersions(store: Store): Promise<Set<string>> {
  return new Set(
    (await store.query<{ version: string }>(sql`SELECT version FROM schema_migrations FINAL`)).map((r) => r.version),
  )
}

/** True when every migration file is applied (another replica may have done it). */
export async function isMigrated(store: Store, dir = migrationsDir()): Promise<boolean> {
  const done = await appliedVersions(store)
  return migrationFiles(dir).every(({ file }) => done.has(file.replace(/\.sql$/, '')))
}

export function migrationFiles(dir = migrationsDir()): Array<{ file: string; text: string }> {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => ({ file, text: fs.readFileSync(path.join(dir, file), 'utf8') }))
}

/** Statements end with `;` at the end of a line; `--` comments are dropped. */
export function splitStatements(text: string): string[] {
  const withoutComments = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('--'))
    .join('\n')
  return withoutComments
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

function migrationsDir(): string {
  const require = createRequire(import.meta.url)
  return path.dirname(require.resolve('@sightline/schema/migrations/0001_spans.sql'))
}
