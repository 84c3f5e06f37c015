/**
 * The migrations' DDL in its form for a replicated ClickHouse cluster (CLICKHOUSE_CLUSTER=<name>).
 * The migration files are written for one node; this rewrites each statement, so there is one set
 * of migrations and the cluster form cannot drift from it (every statement of every migration is
 * parsed by the engine in its cluster form in CI: test/store/cluster-ddl.int.test.ts).
 *
 * Two kinds of table:
 * - SHARDED (the span-volume tables): `<name>_local` on every node, `Replicated*MergeTree` per
 *   shard, and `<name>`, a `Distributed` table over them that every query and insert uses. Spans,
 *   trace index and traces are sharded by `cityHash64(trace_id)`, so one trace stays on one shard:
 *   `FINAL`, the resolver's cancel-and-replace rows and the trace index all work within a shard.
 *   The rollups are filled by materialised views on each shard's `traces_local`, so they are sharded
 *   the same way; their readers sum across shards (signed sums, sumMap).
 * - REPLICATED EVERYWHERE (small tables: projects, keys, prices, anomalies, sessions…): one replica
 *   set spanning every node (no `{shard}` in the path), so each node reads them locally.
 * A table in neither list is refused, so a new migration must say which it is. Data backfills
 * (`INSERT … SELECT`) have no cluster form and are skipped (see below).
 */

export const SHARDED = ['spans', 'trace_index', 'traces', 'agg_1m', 'agg_5m', 'agg_1h', 'resolve_queue'] as const
const SHARDING_KEY: Record<string, string> = {
  spans: 'cityHash64(trace_id)',
  trace_index: 'cityHash64(trace_id)',
  traces: 'cityHash64(trace_id)',
  resolve_queue: 'cityHash64(trace_id)',
}
export const REPLICATED_EVERYWHERE = [
  'schema_migrations',
  'projects',
  'api_keys',
  'model_prices',
  'anomalies',
  'alert_webhooks',
  'regression_cases',
  'regression_runs',
  'quarantined_spans',
  'console_sessions',
  'resolver_state',
  'leases',
  'incidents',
  // Evaluation (0022–0023): one row per score or run, read joined to a few traces at a time.
  'scores',
  'score_history',
  'score_configs',
  'reference_trajectories',
  'evaluators',
  'evaluator_runs',
  'review_queues',
  'review_items',
  'eval_runs',
  // Registry (0024): one aggregated row per agent, tool or edge; its view fires once per insert
  // into a shard's spans, so each node's writes reach every node once by replication.
  'registry_observations',
  'agent_cards',
  'registry_events',
] as const

const LOCAL_SUFFIX = '_local'

/** Engine and trailing clauses of each table as created so far (for `CREATE TABLE b AS a`). */
export type TableCatalog = Map<string, { engine: string; engineArgs: string; rest: string }>

export function rewriteForCluster(statement: string, cluster: string, catalog: TableCatalog): string[] {
  const on = `ON CLUSTER ${quoteIdent(cluster)}`
  const text = statement.trim()
  let m: RegExpExecArray | null
  if ((m = /^CREATE TABLE IF NOT EXISTS (\w+)\s+AS\s+(\w+)$/i.exec(text)))
    return createAs(m[1]!, m[2]!, on, cluster, catalog)
  if ((m = /^CREATE TABLE IF NOT EXISTS (\w+)\s*\(/i.exec(text))) return createTable(text, m[1]!, on, cluster, catalog)
  if ((m = /^CREATE MATERIALIZED VIEW IF NOT EXISTS (\w+)\s+TO\s+(\w+)\s+AS\s+([\s\S]+)$/i.exec(text))) {
    // The view fires on inserts into the shard's local source table and writes the shard's local target.
    return [
      `CREATE MATERIALIZED VIEW IF NOT EXISTS ${m[1]} ${on} TO ${local(kindOf(m[2]!), m[2]!)} ` +
        `AS ${localSources(m[3]!)}`,
    ]
  }
  if ((m = /^ALTER TABLE (\w+)\s+([\s\S]+)$/i.exec(text))) return alterTable(m[1]!, m[2]!, on)
  // A backfill from one table into another (0008): a cluster is installed empty from these
  // migrations (moving a single-node install's data into a cluster is a data move, see
  // docs/scale-out.md), and its rollups are rebuilt by the resolver's catch-up anyway.
  if (/^INSERT INTO \w+\s+SELECT\b/i.test(text)) return []
  // A seed row of a table replicated everywhere: written once on the migrating node, replication
  // carries it to the others.
  if ((m = /^INSERT INTO (\w+)\s*\([^)]*\)\s*VALUES\b/i.exec(text)) && kindOf(m[1]!) === 'everywhere') return [text]
  if ((m = /^DROP VIEW IF EXISTS (\w+)$/i.exec(text))) return [`DROP VIEW IF EXISTS ${m[1]} ${on} SYNC`]
  if ((m = /^DROP TABLE IF EXISTS (\w+)$/i.exec(text))) {
    const name = m[1]!
    // SYNC: the replicated table's Keeper path must be gone before a migration creates it again.
    if (kindOf(name) === 'sharded')
      return [`DROP TABLE IF EXISTS ${name} ${on} SYNC`, `DROP TABLE IF EXISTS ${name}${LOCAL_SUFFIX} ${on} SYNC`]
    return [`DROP TABLE IF EXISTS ${name} ${on} SYNC`]
  }
  throw new Error(`cluster DDL: no cluster form for this statement: ${text.slice(0, 80)}`)
}

type Kind = 'sharded' | 'everywhere'

function kindOf(table: string): Kind {
  if ((SHARDED as readonly string[]).includes(table)) return 'sharded'
  if ((REPLICATED_EVERYWHERE as readonly string[]).includes(table)) return 'everywhere'
  throw new Error(
    `cluster DDL: table ${table} is neither sharded nor replicated everywhere; ` +
      `add it to one list in src/db/cluster-ddl.ts`,
  )
}

const local = (kind: Kind, name: string) => (kind === 'sharded' ? `${name}${LOCAL_SUFFIX}` : name)

function createTable(text: string, name: string, on: string, cluster: string, catalog: TableCatalog): string[] {
  const open = text.indexOf('(')
  const close = matchingParen(text, open)
  const columns = text.slice(open, close + 1)
  const engine = /^\s*ENGINE\s*=\s*(\w+)/i.exec(text.slice(close + 1))
  if (!engine) throw new Error(`cluster DDL: no ENGINE in CREATE TABLE ${name}`)
  const afterName = close + 1 + engine.index + engine[0].length
  let engineArgs = ''
  let restStart = afterName
  if (text[afterName] === '(') {
    const argsClose = matchingParen(text, afterName)
    engineArgs = text.slice(afterName + 1, argsClose)
    restStart = argsClose + 1
  }
  const rest = text.slice(restStart).trim()
  catalog.set(name, { engine: engine[1]!, engineArgs, rest })
  return withEngine(name, `${columns}`, engine[1]!, engineArgs, rest, on, cluster)
}

function createAs(name: string, source: string, on: string, cluster: string, catalog: TableCatalog): string[] {
  const known = catalog.get(source)
  if (!known) throw new Error(`cluster DDL: CREATE TABLE ${name} AS ${source} before ${source} was created`)
  catalog.set(name, known)
  return withEngine(
    name,
    `AS ${local(kindOf(source), source)}`,
    known.engine,
    known.engineArgs,
    known.rest,
    on,
    cluster,
  )
}

function withEngine(
  name: string,
  body: string,
  engine: string,
  engineArgs: string,
  rest: string,
  on: string,
  cluster: string,
): string[] {
  if (!/MergeTree$/.test(engine)) throw new Error(`cluster DDL: ${name} uses ${engine}, not a MergeTree engine`)
  const kind = kindOf(name)
  const table = local(kind, name)
  // Replicas of a shard share a path; tables replicated everywhere share one path across all shards.
  const zkPath =
    kind === 'sharded' ? `/clickhouse/tables/{shard}/{database}/${table}` : `/clickhouse/tables/all/{database}/${table}`
  const args = [`'${zkPath}'`, `'{replica}'`, ...(engineArgs.trim() === '' ? [] : [engineArgs.trim()])].join(', ')
  const settings = rest.replace(/\bnon_replicated_deduplication_window\b/g, 'replicated_deduplication_window')
  const statements = [
    `CREATE TABLE IF NOT EXISTS ${table} ${on} ${body} ENGINE = Replicated${engine}(${args}) ${settings}`.trim(),
  ]
  if (kind === 'sharded') {
    const key = SHARDING_KEY[name]
    statements.push(
      `CREATE TABLE IF NOT EXISTS ${name} ${on} AS ${table} ENGINE = Distributed(${quoteIdent(cluster)}, ` +
        `currentDatabase(), ${table}${key ? `, ${key}` : ''})`,
    )
  }
  return statements
}

function alterTable(name: string, operations: string, on: string): string[] {
  const ops = operations.replace(/\bnon_replicated_deduplication_window\b/g, 'replicated_deduplication_window')
  if (kindOf(name) === 'everywhere') return [`ALTER TABLE ${name} ${on} ${ops}`]
  // Storage settings, skip indexes and projections exist on the local tables only (a Distributed
  // table stores no parts); column changes go to both (the Distributed table must expose the new
  // column to queries and inserts).
  if (/^(MODIFY SETTING|(ADD|DROP|MATERIALIZE|CLEAR) (INDEX|PROJECTION))\b/i.test(ops.trim()))
    return [`ALTER TABLE ${name}${LOCAL_SUFFIX} ${on} ${ops}`]
  return [`ALTER TABLE ${name}${LOCAL_SUFFIX} ${on} ${ops}`, `ALTER TABLE ${name} ${on} ${ops}`]
}

/** `FROM spans`, `JOIN traces` → their local tables (a view reads its own shard's rows). */
function localSources(select: string): string {
  return select.replace(/\b(FROM|JOIN)\s+(\w+)\b/gi, (whole, keyword: string, table: string) =>
    (SHARDED as readonly string[]).includes(table) ? `${keyword} ${table}${LOCAL_SUFFIX}` : whole,
  )
}

function matchingParen(text: string, open: number): number {
  let depth = 0
  let quote: string | undefined
  for (let i = open; i < text.length; i++) {
    const c = text[i]!
    if (quote) {
      if (c === '\\') i++
      else if (c === quote) quote = undefined
    } else if (c === "'" || c === '`' || c === '"') quote = c
    else if (c === '(') depth++
    else if (c === ')' && --depth === 0) return i
  }
  throw new Error('cluster DDL: unbalanced parentheses')
}

function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new Error(`cluster DDL: cluster name must be a plain identifier: ${name}`)
  return name
}
