/**
 * Every statement of every migration, in its cluster form (CLICKHOUSE_CLUSTER), is parsed by the
 * engine (`formatQuery` on chDB, the same ClickHouse version), and has the shape a replicated,
 * sharded cluster needs. No cluster runs here (no Keeper, no second node): what a cluster does with
 * these statements is on paper (docs/scale-out.md); that they are valid ClickHouse is checked here.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createStore, type Store } from '../../src/db/client.js'
import { REPLICATED_EVERYWHERE, SHARDED, type TableCatalog } from '../../src/db/cluster-ddl.js'
import { migrationFiles, splitStatements } from '../../src/db/migrate.js'
import { sql, str } from '../../src/db/sql.js'
import { dialectFor } from '../../src/db/store-dialect.js'
import { parseEnv } from '../../src/env.js'

const CLUSTER = 'sightline'
let store: Store
let dir: string
/** Each migration statement in its cluster form, formatted by the engine (one line per statement). */
let formatted: string[]

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-cluster-ddl-'))
  store = createStore(parseEnv({ SIGHTLINE_DATA_DIR: dir }))
  const dialect = dialectFor({ CLICKHOUSE_URL: 'http://node-1:8123', CLICKHOUSE_CLUSTER: CLUSTER })
  const catalog: TableCatalog = new Map()
  const statements = migrationFiles().flatMap(({ text }) => splitStatements(text).flatMap((s) => dialect.migrationStatements(s, catalog)))
  formatted = []
  for (const statement of statements) {
    const [row] = await store.query<{ f: string }>(sql`SELECT formatQuerySingleLine(${str(statement)}) AS f`)
    formatted.push(row!.f)
  }
})
afterAll(async () => {
  await store?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const creates = (name: string) => formatted.filter((f) => new RegExp(`^CREATE TABLE IF NOT EXISTS ${name} `).test(f))

describe('migrations in their cluster form', () => {
  it('are all parsed by the engine, and all run ON CLUSTER', () => {
    expect(formatted.length).toBeGreaterThan(40)
    for (const f of formatted) expect(f).toContain(`ON CLUSTER ${CLUSTER}`)
    expect(formatted.join('\n')).not.toMatch(/non_replicated_deduplication_window/)
  })

  it('shard the span-volume tables: a replicated local table per shard and a Distributed table over it', () => {
    for (const name of SHARDED) {
      const local = creates(`${name}_local`)
      expect(local.length, name).toBeGreaterThan(0)
      for (const f of local) expect(f).toMatch(new RegExp(`ENGINE = Replicated\\w*MergeTree\\('/clickhouse/tables/\\{shard\\}/\\{database\\}/${name}_local', '\\{replica\\}'`))
      const distributed = creates(name)
      expect(distributed.length, name).toBeGreaterThan(0)
      for (const f of distributed) expect(f).toMatch(new RegExp(`AS ${name}_local ENGINE = Distributed\\(${CLUSTER}, currentDatabase\\(\\), ${name}_local`))
    }
    // One trace stays on one shard: FINAL, the resolver's cancel rows and the trace index stay local.
    for (const name of ['spans', 'traces', 'trace_index']) expect(creates(name).at(-1)).toMatch(/, cityHash64\(trace_id\)\)$/)
  })

  it('keep the engines: traces collapse by version, rollups aggregate, spans replace', () => {
    expect(creates('traces_local')[0]).toMatch(/ReplicatedVersionedCollapsingMergeTree\('[^']+', '\{replica\}', sign, version\)/)
    for (const f of [...creates('agg_5m_local'), ...creates('agg_1h_local')]) expect(f).toMatch(/ReplicatedAggregatingMergeTree\(/)
    expect(creates('spans_local')[0]).toMatch(/ReplicatedReplacingMergeTree\('[^']+', '\{replica\}', ingested_at\)/)
    // CREATE TABLE agg_1h AS agg_5m keeps the source's ordering key in the cluster form.
    expect(creates('agg_1h_local').at(-1)).toMatch(/AS agg_5m_local ENGINE = ReplicatedAggregatingMergeTree\(.*ORDER BY \(project_id, dim_type, dim_value, bucket\)/)
  })

  it('replicate the small tables on every node (one replica set, no shard in the path)', () => {
    for (const name of REPLICATED_EVERYWHERE.filter((n) => creates(n).length > 0)) {
      for (const f of creates(name)) expect(f).toMatch(new RegExp(`ENGINE = Replicated\\w*MergeTree\\('/clickhouse/tables/all/\\{database\\}/${name}', '\\{replica\\}'`))
    }
    expect(creates('projects')).toHaveLength(1)
  })

  it('feed the rollups on each shard from the local tables', () => {
    const views = formatted.filter((f) => f.startsWith('CREATE MATERIALIZED VIEW'))
    expect(views.length).toBeGreaterThanOrEqual(6)
    for (const f of views) {
      expect(f).toMatch(/ TO (trace_index|agg_5m|agg_1h)_local /)
      expect(f).toMatch(/ FROM (spans|traces|agg_5m)_local /)
    }
  })

  it('alter and drop both tables of a sharded pair, synchronously', () => {
    expect(formatted.filter((f) => /^ALTER TABLE spans(_local)? ON CLUSTER \w+ \(ADD COLUMN IF NOT EXISTS `input_preview`/.test(f))).toHaveLength(2)
    expect(formatted.filter((f) => /^ALTER TABLE spans ON CLUSTER \w+ \(MODIFY SETTING/.test(f))).toHaveLength(0)
    expect(formatted.filter((f) => /^ALTER TABLE spans_local ON CLUSTER \w+ \(MODIFY SETTING/.test(f))).toHaveLength(1)
    for (const f of formatted.filter((f) => f.startsWith('DROP '))) expect(f).toMatch(/ SYNC$/)
  })
})
