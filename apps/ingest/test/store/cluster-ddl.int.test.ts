/**
 * Every statement of every migration, in its cluster form (CLICKHOUSE_CLUSTER), is parsed by the
 * engine (`formatQuery` on chDB, the same ClickHouse version), and has the shape a replicated,
 * sharded cluster needs. The engine here runs with the cluster's own configuration
 * (deploy/clickhouse/config.d/sightline-cluster.xml), which must define the cluster and macros
 * the statements name. No cluster runs here (no Keeper, no second node; chDB's test Keeper leaves
 * replicated tables read-only): what a cluster does with these statements is on paper
 * (docs/scale-out.md); that they are valid ClickHouse for that configuration is checked here.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Session } from 'chdb'
import { REPLICATED_EVERYWHERE, SHARDED, type TableCatalog } from '../../src/db/cluster-ddl.js'
import { migrationFiles, splitStatements } from '../../src/db/migrate.js'
import { dialectFor } from '../../src/db/store-dialect.js'

const CLUSTER = 'sightline'
const CONFIG = fileURLToPath(new URL('../../../../deploy/clickhouse/config.d/sightline-cluster.xml', import.meta.url))
let engine: Session
let dir: string
/** Each migration statement in its cluster form, formatted by the engine (one line per statement). */
let formatted: string[]

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-cluster-ddl-'))
  // What docker-compose.cluster.yml gives the first node.
  Object.assign(process.env, {
    CH_SHARD: '01',
    CH_REPLICA: 'ch-s1-r1',
    CLICKHOUSE_USER: 'sightline',
    CLICKHOUSE_PASSWORD: 'x',
  })
  engine = new Session(dir, { connectionArgs: [`--config-file=${CONFIG}`] })
  const dialect = dialectFor({ CLICKHOUSE_URL: 'http://node-1:8123', CLICKHOUSE_CLUSTER: CLUSTER })
  const catalog: TableCatalog = new Map()
  const statements = migrationFiles().flatMap(({ text }) =>
    splitStatements(text).flatMap((s) => dialect.migrationStatements(s, catalog)),
  )
  formatted = []
  for (const statement of statements) {
    formatted.push(
      (await engine.queryBindAsync('SELECT formatQuerySingleLine({q:String})', { q: statement }, { format: 'TSVRaw' }))
        .text()
        .trimEnd(),
    )
  }
})
afterAll(async () => {
  engine?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const creates = (name: string) => formatted.filter((f) => new RegExp(`^CREATE TABLE IF NOT EXISTS ${name} `).test(f))

describe('the cluster configuration (deploy/clickhouse)', () => {
  it('defines the cluster the migrations name, 2 shards x 2 replicas, and the macros of each node', async () => {
    const clusters = (
      await engine.queryAsync(
        "SELECT shard_num, replica_num, host_name FROM system.clusters WHERE cluster = 'sightline' ORDER BY 1, 2",
        { format: 'TSVRaw' },
      )
    ).text()
    expect(clusters).toBe('1\t1\tch-s1-r1\n1\t2\tch-s1-r2\n2\t1\tch-s2-r1\n2\t2\tch-s2-r2\n')
    const macros = (
      await engine.queryAsync('SELECT macro, substitution FROM system.macros ORDER BY 1', { format: 'TSVRaw' })
    ).text()
    expect(macros).toBe('cluster\tsightline\nreplica\tch-s1-r1\nshard\t01\n')
  })
})

describe('migrations in their cluster form', () => {
  it('are all parsed by the engine, and all run ON CLUSTER', async () => {
    // formatQuery parses for real: a broken statement is refused.
    await expect(
      engine.queryBindAsync(
        'SELECT formatQuerySingleLine({q:String})',
        { q: 'CREATE TABLE t ON CLUSTER (' },
        { format: 'TSVRaw' },
      ),
    ).rejects.toThrow(/SYNTAX_ERROR/)
    expect(formatted.length).toBeGreaterThan(40)
    // Seed rows of tables replicated everywhere are written once and replicated; all else is DDL.
    const seeds = formatted.filter((f) => f.startsWith('INSERT INTO '))
    for (const f of seeds) expect(f).toMatch(new RegExp(`^INSERT INTO (${REPLICATED_EVERYWHERE.join('|')}) \\(`))
    for (const f of formatted.filter((f) => !seeds.includes(f))) expect(f).toContain(`ON CLUSTER ${CLUSTER}`)
    expect(formatted.join('\n')).not.toMatch(/non_replicated_deduplication_window/)
  })

  it('shard the span-volume tables: a replicated local table per shard and a Distributed table over it', () => {
    for (const name of SHARDED) {
      const local = creates(`${name}_local`)
      expect(local.length, name).toBeGreaterThan(0)
      for (const f of local)
        expect(f).toMatch(
          new RegExp(
            `ENGINE = Replicated\\w*MergeTree\\('/clickhouse/tables/\\{shard\\}/\\{database\\}/${name}_local', ` +
              `'\\{replica\\}'`,
          ),
        )
      const distributed = creates(name)
      expect(distributed.length, name).toBeGreaterThan(0)
      for (const f of distributed)
        expect(f).toMatch(
          new RegExp(`AS ${name}_local ENGINE = Distributed\\(${CLUSTER}, currentDatabase\\(\\), ${name}_local`),
        )
    }
    // One trace stays on one shard: FINAL, the resolver's cancel rows and the trace index stay local.
    for (const name of ['spans', 'traces', 'trace_index'])
      expect(creates(name).at(-1)).toMatch(/, cityHash64\(trace_id\)\)$/)
  })

  it('keep the engines: traces collapse by version, rollups aggregate, spans replace', () => {
    expect(creates('traces_local')[0]).toMatch(
      /ReplicatedVersionedCollapsingMergeTree\('[^']+', '\{replica\}', sign, version\)/,
    )
    for (const f of [...creates('agg_5m_local'), ...creates('agg_1h_local')])
      expect(f).toMatch(/ReplicatedAggregatingMergeTree\(/)
    expect(creates('spans_local')[0]).toMatch(/ReplicatedReplacingMergeTree\('[^']+', '\{replica\}', ingested_at\)/)
    // CREATE TABLE agg_1h AS agg_5m keeps the source's ordering key in the cluster form.
    expect(creates('agg_1h_local').at(-1)).toMatch(
      /AS agg_5m_local ENGINE = ReplicatedAggregatingMergeTree\(.*ORDER BY \(project_id, dim_type, dim_value, bucket\)/,
    )
  })

  it('replicate the small tables on every node (one replica set, no shard in the path)', () => {
    for (const name of REPLICATED_EVERYWHERE.filter((n) => creates(n).length > 0)) {
      for (const f of creates(name))
        expect(f).toMatch(
          new RegExp(
            `ENGINE = Replicated\\w*MergeTree\\('/clickhouse/tables/all/\\{database\\}/${name}', '\\{replica\\}'`,
          ),
        )
    }
    expect(creates('projects')).toHaveLength(1)
  })

  it('feed the rollups on each shard from the local tables', () => {
    const views = formatted.filter((f) => f.startsWith('CREATE MATERIALIZED VIEW'))
    expect(views.length).toBeGreaterThanOrEqual(6)
    for (const f of views) {
      // A sharded target is written on the shard; a table replicated everywhere gets each row once.
      expect(f).toMatch(new RegExp(` TO ((${SHARDED.join('|')})_local|${REPLICATED_EVERYWHERE.join('|')}) `))
      expect(f).toMatch(/ FROM (spans|traces|agg_5m)_local /)
    }
    expect(views.filter((f) => / TO (trace_index|agg_5m|agg_1h)_local /.test(f)).length).toBeGreaterThanOrEqual(3)
  })

  it('alter and drop both tables of a sharded pair, synchronously', () => {
    expect(
      formatted.filter((f) =>
        /^ALTER TABLE spans(_local)? ON CLUSTER \w+ \(ADD COLUMN IF NOT EXISTS `input_preview`/.test(f),
      ),
    ).toHaveLength(2)
    expect(formatted.filter((f) => /^ALTER TABLE spans ON CLUSTER \w+ \(MODIFY SETTING/.test(f))).toHaveLength(0)
    expect(formatted.filter((f) => /^ALTER TABLE spans_local ON CLUSTER \w+ \(MODIFY SETTING/.test(f))).toHaveLength(1)
    // Skip indexes live in the parts: the local table's only (a Distributed table refuses ADD INDEX).
    expect(
      formatted.filter((f) => /^ALTER TABLE (spans|traces) ON CLUSTER \w+ \((ADD|MATERIALIZE) INDEX/.test(f)),
    ).toHaveLength(0)
    expect(
      formatted.filter((f) =>
        /^ALTER TABLE spans_local ON CLUSTER \w+ \(ADD INDEX IF NOT EXISTS idx_tool_result /.test(f),
      ),
    ).toHaveLength(1)
    expect(
      formatted.filter((f) => /^ALTER TABLE traces_local ON CLUSTER \w+ \(MATERIALIZE INDEX idx_input_preview/.test(f)),
    ).toHaveLength(1)
    for (const f of formatted.filter((f) => f.startsWith('DROP '))) expect(f).toMatch(/ SYNC$/)
  })
})
