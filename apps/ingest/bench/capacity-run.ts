/**
 * The capacity model's inputs (docs/scale-out.md), measured with the store in a process of its own,
 * as in production: the server under test runs with CLICKHOUSE_URL pointing at the ClickHouse HTTP
 * front over chDB (packages/testkit), so the CPU the ingest process uses is the ingest tier's alone.
 *
 * - CPU of the ingest process per 1,000 spans, from the first request until every span is stored and
 *   every trace resolved (decode, normalise, price, spool fsync, insert over HTTP, resolver, rollups):
 *   its inverse is spans/s per fully busy ingest core.
 * - CPU of the store process per 1,000 spans: chDB behind a test front (HTTP parsing, per-request
 *   contexts), so an upper bound of a ClickHouse server's, labelled as such.
 * - Bytes on disk per span, per table and in all, once merges settle (OPTIMIZE … FINAL).
 * On a 2-core machine both processes share the cores: the wall-clock rate is not a capacity figure;
 * CPU seconds are.
 */
import os from 'node:os'
import { startClickHouseFront } from '@sightline/testkit/clickhouse-http-front'
import type { Pool } from './generator.js'
import { runLoad } from './load.js'
import { cpuMs, removeDataDir, startServerProcess, waitResolved, waitStored } from './server-process.js'

export interface CapacityResult {
  spans: number
  traces: number
  seconds: number
  ingestCpuSeconds: number
  storeCpuSeconds: number
  ingestCpuMsPer1000Spans: number
  storeCpuMsPer1000Spans: number
  /** 1 / (ingest CPU seconds per span): what one ingest core sustains when fully busy. */
  spansPerIngestCoreSecond: number
  tables: Array<{ table: string; rows: number; bytesOnDisk: number; uncompressedBytes: number }>
  bytesOnDiskPerSpan: number
  exactlyOnce: boolean
  /** 1-minute load average at the start and the end: CPU seconds stretch on a busy machine too. */
  loadAverage: [number, number]
}

const cpuSeconds = (pid: number): number => cpuMs(pid) / 1000

export async function runCapacity(pool: Pool, connections: number): Promise<CapacityResult> {
  const front = await startClickHouseFront({ user: 'bench', password: 'bench' })
  const query = async (sqlText: string) => {
    const res = await fetch(`${front.url}/?default_format=JSONEachRow`, {
      method: 'POST',
      body: sqlText,
      headers: { Authorization: `Basic ${Buffer.from('bench:bench').toString('base64')}` },
    })
    const text = await res.text()
    if (res.status !== 200) throw new Error(`store refused ${sqlText.slice(0, 60)}: ${text}`)
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, string | number>)
  }
  const server = await startServerProcess('capacity', {
    CLICKHOUSE_URL: front.url,
    CLICKHOUSE_USER: 'bench',
    CLICKHOUSE_PASSWORD: 'bench',
  })
  try {
    const loadAtStart = os.loadavg()[0]!
    const ingestBefore = cpuSeconds(server.pid)
    const storeBefore = cpuSeconds(front.pid)
    const load = await runLoad({
      url: server.url,
      encoding: 'protobuf',
      bodies: pool.bodies,
      spanCounts: pool.spanCounts,
      connections,
    })
    await waitStored(server, pool.spans)
    const resolved = await waitResolved(server)
    const ingestCpu = cpuSeconds(server.pid) - ingestBefore
    const storeCpu = cpuSeconds(front.pid) - storeBefore
    const seconds = (resolved.at - load.startedAt) / 1000
    const loadAverage: [number, number] = [loadAtStart, os.loadavg()[0]!]
    await server.stop()
    removeDataDir(server.dataDir)

    const [counts] = await query('SELECT count() AS n, uniqExact(trace_id, span_id) AS u FROM spans')
    for (const table of ['spans', 'trace_index', 'traces', 'agg_5m', 'agg_1h'])
      await query(`OPTIMIZE TABLE ${table} FINAL`)
    const tables = (
      await query(`SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS b, sum(data_uncompressed_bytes) AS ub
        FROM system.parts
        WHERE active AND database = currentDatabase() GROUP BY table ORDER BY b DESC`)
    ).map((r) => ({
      table: String(r.table),
      rows: Number(r.rows),
      bytesOnDisk: Number(r.b),
      uncompressedBytes: Number(r.ub),
    }))
    const totalBytes = tables.reduce((n, t) => n + t.bytesOnDisk, 0)
    return {
      spans: pool.spans,
      traces: pool.traces.length,
      seconds,
      ingestCpuSeconds: ingestCpu,
      storeCpuSeconds: storeCpu,
      ingestCpuMsPer1000Spans: (1000 * ingestCpu * 1000) / pool.spans,
      storeCpuMsPer1000Spans: (1000 * storeCpu * 1000) / pool.spans,
      spansPerIngestCoreSecond: pool.spans / ingestCpu,
      tables,
      bytesOnDiskPerSpan: totalBytes / pool.spans,
      exactlyOnce: Number(counts?.n) === pool.spans && Number(counts?.u) === pool.spans,
      loadAverage,
    }
  } catch (error) {
    await server.stop().catch(() => undefined)
    throw error
  } finally {
    await front.stop()
  }
}
