import { describe, expect, it } from 'vitest'
import { rewriteForCluster, type TableCatalog } from './cluster-ddl.js'
import { dialectFor } from './store-dialect.js'

const rewrite = (statement: string, catalog: TableCatalog = new Map()) => rewriteForCluster(statement, 'c1', catalog)

describe('rewriteForCluster', () => {
  it('turns a sharded table into a replicated local table and a Distributed table keyed by trace id', () => {
    const [local, distributed] = rewrite(
      `CREATE TABLE IF NOT EXISTS traces (trace_id String, sign Int8, version UInt64, n Nested(a String))
      ENGINE = VersionedCollapsingMergeTree(sign, version) ORDER BY trace_id ` +
        `SETTINGS non_replicated_deduplication_window = 10000`,
    )
    expect(local).toBe(
      'CREATE TABLE IF NOT EXISTS traces_local ON CLUSTER c1 (trace_id String, sign Int8, version UInt64, ' +
        'n Nested(a String)) ENGINE = ' +
        "ReplicatedVersionedCollapsingMergeTree('/clickhouse/tables/{shard}/{database}/traces_local', '{replica}', " +
        'sign, version) ' +
        'ORDER BY trace_id SETTINGS replicated_deduplication_window = 10000',
    )
    expect(distributed).toBe(
      'CREATE TABLE IF NOT EXISTS traces ON CLUSTER c1 AS traces_local ENGINE = Distributed(c1, currentDatabase(), ' +
        'traces_local, cityHash64(trace_id))',
    )
  })

  it('replicates a small table on every node, and copies an engine for CREATE TABLE … AS', () => {
    expect(
      rewrite(
        "CREATE TABLE IF NOT EXISTS projects (id String, name String DEFAULT concat('a(', 'b')) " +
          'ENGINE = ReplacingMergeTree ORDER BY id',
      ),
    ).toEqual([
      "CREATE TABLE IF NOT EXISTS projects ON CLUSTER c1 (id String, name String DEFAULT concat('a(', 'b')) " +
        "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/projects', '{replica}') ORDER BY id",
    ])
    const catalog: TableCatalog = new Map()
    rewrite('CREATE TABLE IF NOT EXISTS agg_5m (a String) ENGINE = AggregatingMergeTree ORDER BY a', catalog)
    expect(rewrite('CREATE TABLE IF NOT EXISTS agg_1h AS agg_5m', catalog)[0]).toBe(
      'CREATE TABLE IF NOT EXISTS agg_1h_local ON CLUSTER c1 AS agg_5m_local ENGINE = ' +
        "ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/{database}/agg_1h_local', '{replica}') ORDER BY a",
    )
  })

  it('points views at local tables, and sends ALTERs and DROPs where they belong', () => {
    expect(
      rewrite('CREATE MATERIALIZED VIEW IF NOT EXISTS v TO agg_5m AS SELECT a FROM traces AS t ARRAY JOIN t.c AS c'),
    ).toEqual([
      'CREATE MATERIALIZED VIEW IF NOT EXISTS v ON CLUSTER c1 TO agg_5m_local AS SELECT a FROM traces_local AS t ' +
        'ARRAY JOIN t.c AS c',
    ])
    expect(rewrite('ALTER TABLE spans MODIFY SETTING fsync_after_insert = 1')).toEqual([
      'ALTER TABLE spans_local ON CLUSTER c1 MODIFY SETTING fsync_after_insert = 1',
    ])
    expect(rewrite('ALTER TABLE spans ADD INDEX IF NOT EXISTS i x TYPE text(tokenizer = splitByNonAlpha)')).toEqual([
      'ALTER TABLE spans_local ON CLUSTER c1 ADD INDEX IF NOT EXISTS i x TYPE text(tokenizer = splitByNonAlpha)',
    ])
    expect(rewrite('ALTER TABLE traces MATERIALIZE INDEX i')).toEqual([
      'ALTER TABLE traces_local ON CLUSTER c1 MATERIALIZE INDEX i',
    ])
    expect(rewrite('ALTER TABLE traces ADD PROJECTION IF NOT EXISTS p\n(SELECT a ORDER BY b)')).toEqual([
      'ALTER TABLE traces_local ON CLUSTER c1 ADD PROJECTION IF NOT EXISTS p\n(SELECT a ORDER BY b)',
    ])
    expect(rewrite('ALTER TABLE traces MATERIALIZE PROJECTION p')).toEqual([
      'ALTER TABLE traces_local ON CLUSTER c1 MATERIALIZE PROJECTION p',
    ])
    expect(rewrite('ALTER TABLE spans ADD COLUMN IF NOT EXISTS x String')).toEqual([
      'ALTER TABLE spans_local ON CLUSTER c1 ADD COLUMN IF NOT EXISTS x String',
      'ALTER TABLE spans ON CLUSTER c1 ADD COLUMN IF NOT EXISTS x String',
    ])
    expect(rewrite('ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS id String')).toEqual([
      'ALTER TABLE api_keys ON CLUSTER c1 ADD COLUMN IF NOT EXISTS id String',
    ])
    expect(rewrite('DROP TABLE IF EXISTS agg_5m')).toEqual([
      'DROP TABLE IF EXISTS agg_5m ON CLUSTER c1 SYNC',
      'DROP TABLE IF EXISTS agg_5m_local ON CLUSTER c1 SYNC',
    ])
    expect(rewrite('DROP VIEW IF EXISTS agg_5m_mv')).toEqual(['DROP VIEW IF EXISTS agg_5m_mv ON CLUSTER c1 SYNC'])
  })

  it('refuses a table nobody classified and a statement it has no cluster form for', () => {
    expect(() => rewrite('CREATE TABLE IF NOT EXISTS new_table (a String) ENGINE = MergeTree ORDER BY a')).toThrow(
      /neither sharded nor replicated everywhere/,
    )
    expect(() => rewrite('TRUNCATE TABLE spans')).toThrow(/no cluster form/)
    expect(rewrite('INSERT INTO agg_1h\nSELECT a FROM agg_5m')).toEqual([])
    expect(() => rewrite('CREATE TABLE IF NOT EXISTS projects (a String) ENGINE = Memory')).toThrow(
      /not a MergeTree engine/,
    )
  })
})

describe('dialectFor', () => {
  it('keeps chDB queries free of settings, sends them on a server, and adds the cluster ones', () => {
    const embedded = dialectFor({ CLICKHOUSE_URL: undefined, CLICKHOUSE_CLUSTER: undefined })
    const server = dialectFor({ CLICKHOUSE_URL: 'http://ch:8123', CLICKHOUSE_CLUSTER: undefined })
    const cluster = dialectFor({ CLICKHOUSE_URL: 'http://ch:8123', CLICKHOUSE_CLUSTER: 'c1' })
    expect([embedded.mode, server.mode, cluster.mode]).toEqual(['embedded', 'server', 'cluster'])
    expect(embedded.querySettings).toEqual({})
    expect(server.querySettings).toEqual({ async_insert: 0 })
    expect(cluster.querySettings).toEqual({ async_insert: 0, distributed_product_mode: 'global' })
    expect(embedded.insertSettings('t')).toMatchObject({
      insert_deduplication_token: 't',
      async_insert: 0,
      max_threads: 1,
    })
    expect(embedded.insertSettings('t')).not.toHaveProperty('distributed_foreground_insert')
    expect(cluster.insertSettings('t')).toMatchObject({
      insert_deduplication_token: 't',
      distributed_foreground_insert: 1,
    })
    expect(server.migrationStatements('DROP VIEW IF EXISTS v', new Map())).toEqual(['DROP VIEW IF EXISTS v'])
  })
})
