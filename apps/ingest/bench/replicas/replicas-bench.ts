/**
 * Ingest replicas against one store (issue 17): end-to-end spans/s with 1 and with 3 ingest
 * processes writing to one ClickHouse (the test kit's HTTP front over chDB, a process of its own),
 * and the ingest tier's CPU per 1,000 spans. The same protobuf pool is sent in both rounds, split
 * round-robin over the replicas with the same total number of connections; a round ends when every
 * replica has stored its share and emptied its spool. Each round checks exactly-once in the store.
 *
 *   pnpm bench:replicas            (BENCH_REPLICA_SPANS, default 100,000; also the last step of `pnpm bench`)
 *
 * On a 2-core machine the front, the replicas and the load generator share the cores: the ratio says
 * what replication costs or gains on one box, not what it gains across machines.
 */
import { createClient } from '@clickhouse/client'
import fs from 'node:fs'
import os from 'node:os'
import { startClickHouseFront } from '@sightline/testkit/clickhouse-http-front'
import { writeSection } from '../dashboard/shared.js'
import { buildPool } from '../generator.js'
import { runLoad } from '../load.js'
import { removeDataDir, startServerProcess, waitStored, type ServerProcess } from '../server-process.js'

const SPANS = Number(process.env.BENCH_REPLICA_SPANS ?? 100_000)
const CONNECTIONS = 6
const DATABASE = 'bench_replicas'
const CLOCK_TICKS = 100
const log = (line: string) => process.stderr.write(`${line}\n`)

interface Round {
  replicas: number
  seconds: number
  spansPerSecond: number
  cpuMsPer1k: number
  stored: number
  distinct: number
}

/** utime + stime of a process, in ms (Linux; USER_HZ is 100 on every supported kernel). */
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
}

async function round(replicas: number, pool: ReturnType<typeof buildPool>['protobuf']): Promise<Round> {
  const front = await startClickHouseFront({ user: 'bench', password: 'bench-password' })
  const ch = createClient({ url: front.url, username: front.user, password: front.password })
  const servers: ServerProcess[] = []
  try {
    await ch.command({ query: `CREATE DATABASE IF NOT EXISTS ${DATABASE}` })
    const env = (i: number) => ({
      CLICKHOUSE_URL: front.url,
      CLICKHOUSE_USER: front.user,
      CLICKHOUSE_PASSWORD: front.password,
      CLICKHOUSE_DATABASE: DATABASE,
      SIGHTLINE_REPLICA_ID: `bench-replica-${i}`,
      SIGHTLINE_ANOMALY_INTERVAL_MS: '0',
      SIGHTLINE_EVAL_INTERVAL_MS: '0',
    })
    // The first replica migrates the store; the others find it migrated.
    servers.push(await startServerProcess(`replica-0-of-${replicas}`, env(0)))
    for (let i = 1; i < replicas; i++) servers.push(await startServerProcess(`replica-${i}-of-${replicas}`, env(i)))
    const shares = servers.map((_, i) => {
      const bodies = pool.bodies.filter((_, j) => j % replicas === i)
      const spanCounts = pool.spanCounts.filter((_, j) => j % replicas === i)
      return { bodies, spanCounts, spans: spanCounts.reduce((a, b) => a + b, 0) }
    })
    const cpuBefore = servers.map((s) => cpuMs(s.pid))
    const started = performance.now()
    await Promise.all(
      servers.map((server, i) =>
        runLoad({
          url: server.url,
          encoding: 'protobuf',
          bodies: shares[i]!.bodies,
          spanCounts: shares[i]!.spanCounts,
          connections: Math.max(1, Math.round(CONNECTIONS / replicas)),
        }),
      ),
    )
    const done = await Promise.all(servers.map((server, i) => waitStored(server, shares[i]!.spans, 1_800_000)))
    const seconds = (Math.max(...done.map((d) => d.at)) - started) / 1000
    const cpu = servers.reduce((sum, s, i) => sum + cpuMs(s.pid) - cpuBefore[i]!, 0)
    const [counts] = await (
      await ch.query({
        query: `SELECT count() AS stored, uniqExact(trace_id, span_id) AS distinct FROM ${DATABASE}.spans`,
        format: 'JSONEachRow',
      })
    ).json<{ stored: string; distinct: string }>()
    const result = {
      replicas,
      seconds,
      spansPerSecond: pool.spans / seconds,
      cpuMsPer1k: (cpu / pool.spans) * 1000,
      stored: Number(counts?.stored),
      distinct: Number(counts?.distinct),
    }
    if (result.stored !== pool.spans || result.distinct !== pool.spans)
      throw new Error(
        `${replicas} replicas: sent ${pool.spans} spans, ` +
          `the store holds ${result.stored} (${result.distinct} distinct)`,
      )
    log(
      `${replicas} replica(s): ${result.spansPerSecond.toFixed(0)} spans/s, ` +
        `${result.cpuMsPer1k.toFixed(0)} ms CPU per 1,000 spans, stored exactly once`,
    )
    return result
  } finally {
    for (const server of servers) {
      await server.stop()
      removeDataDir(server.dataDir)
    }
    await ch.close()
    await front.stop()
  }
}

async function main(): Promise<void> {
  const now = Date.now()
  const pool = buildPool(
    { seed: 17, spans: SPANS, spansPerRequest: 100, windowStartMs: now - 3_600_000, windowEndMs: now - 60_000 },
    ['protobuf'],
  ).protobuf
  log(`pool: ${pool.spans} spans in ${pool.bodies.length} requests`)
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')
  const loadBefore = load()
  const one = await round(1, pool)
  const three = await round(3, pool)
  const section = [
    `Command: \`BENCH_REPLICA_SPANS=${SPANS} pnpm bench:replicas\` (the last step of \`pnpm bench\`) ` +
      `(apps/ingest/bench/replicas/replicas-bench.ts), ${new Date(now).toISOString().slice(0, 10)}.`,
    `Machine: ${os.cpus()[0]?.model.trim()}, ${os.cpus().length} cores, Node ${process.version}; ` +
      `load average ${loadBefore} before, ${load()} after.`,
    '',
    "One store: the test kit's ClickHouse HTTP front over chDB in its own process (server mode, `CLICKHOUSE_URL`). " +
      `The same ${pool.spans.toLocaleString('en')} spans (${pool.bodies.length.toLocaleString('en')} OTLP/protobuf ` +
      `requests) are sent round-robin over the replicas with ${CONNECTIONS} connections in all; a round ends when ` +
      'every replica has stored its share. Both rounds stored every span exactly once (count and distinct span ids ' +
      'in `spans` equal the spans sent).',
    '',
    '| ingest replicas | spans/s end to end | ingest-tier CPU per 1,000 spans |',
    '|---|---|---|',
    ...[one, three].map((r) => `| ${r.replicas} | ${r.spansPerSecond.toFixed(0)} | ${r.cpuMsPer1k.toFixed(0)} ms |`),
    '',
    `3 replicas ÷ 1: **${(three.spansPerSecond / one.spansPerSecond).toFixed(2)}×** throughput. ` +
      `CPU-bound on ${os.cpus().length} cores: the store, every replica and the load generator share them, so ` +
      'more replicas on one machine cannot add throughput; the figure shows the tier’s overhead per span (each ' +
      'replica runs its own spool, decode and HTTP stack). Across machines the ingest tier scales out until the ' +
      'store is the limit.',
  ].join('\n')
  process.stdout.write(`${section}\n`)
  if (process.env.BENCH_WRITE_REPORT !== '0') writeSection('Ingest replicas', section)
}

await main()
process.exit(0)
