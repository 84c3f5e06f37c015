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
  for (const statement of store.dialect.migrationStatements(MIGRATIONS_TABLE, catalog)) await store.client.command({ query: statement })
  const done = new Set((await store.query<{ version: string }>(sql`SELECT version FROM schema_migrations FINAL`)).map((r) => r.version))
  const applied: string[] = []
  for (const { file, text } of files) {
    const version = file.replace(/\.sql$/, '')
    const statements = splitStatements(text).flatMap((statement) => store.dialect.migrationStatements(statement, catalog))
    if (done.has(version)) continue
    for (const statement of statements) await store.client.command({ query: statement })
    await store.command(sql`INSERT INTO schema_migrations (version) VALUES (${str(version)})`)
    applied.push(version)
    logger.info('migration applied', { version })
  }
  return applied
}

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (version String, applied_at DateTime64(3, 'UTC') DEFAULT now64(3))
  ENGINE = ReplacingMergeTree ORDER BY version`

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
