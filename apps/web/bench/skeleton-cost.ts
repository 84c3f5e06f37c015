/**
 * The server's half of opening a huge trace, old way against new in one run (so a loaded machine
 * hits both alike), alternating, ROUNDS times per trace size:
 * - store read: every skeleton column as JSON objects (JSONEachRow, before) against only the columns
 *   a skeleton uses as value arrays (Store.queryValues, now);
 * - the whole request, gzip as the browser asks for it: `?view=skeleton` (one JSON object per span)
 *   against `/skeleton` (columns), to the last byte of the body.
 * Run: `pnpm --filter @sightline/web bench:skeleton` (SPANS=10000,100000, ROUNDS=3).
 */
import os from 'node:os'
import { TraceRepository } from '@sightline/ingest/testing/trace-repository'
import { build, sql, str } from '@sightline/ingest/testing/sql'
import { traceIdFor } from '@sightline/testkit/otlp-json'
import { makeHugeTrace } from '../e2e/helpers/agent-traces.js'
import { postOtlp, startTestServer, TEST_API_KEY } from '../e2e/helpers/console.js'

const SIZES = (process.env['SPANS'] ?? '10000,100000').split(',').map(Number)
const ROUNDS = Number(process.env['ROUNDS'] ?? 3)
const OLD_SKELETON_COLUMNS = sql`* EXCEPT (ingested_at, input, output, tool_arguments, tool_result, attributes,
  resource_attributes, events, links),
  '' AS input, '' AS output, '' AS tool_arguments, '' AS tool_result,
  map() AS attributes, map() AS resource_attributes, '[]' AS events, '[]' AS links`

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const server = await startTestServer({ LOG_LEVEL: 'error' })
try {
  const repository = new TraceRepository(server.deps.store)
  const project = (await server.deps.projects.findProjectByKey(TEST_API_KEY))!
  console.log(
    `load average before: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  )
  for (const spans of SIZES) {
    for (const body of makeHugeTrace(`cost-${spans}`, Date.now() - 30 * 60_000, spans)) await postOtlp(server, body)
    await server.drain()
    const traceId = traceIdFor(`cost-${spans}`)
    const timed = async (f: () => Promise<number>) => {
      const start = performance.now()
      const bytes = await f()
      return { ms: performance.now() - start, bytes }
    }
    const oldRead = () =>
      timed(async () => {
        const { query, params } = build(
          sql`SELECT ${OLD_SKELETON_COLUMNS} FROM spans FINAL WHERE project_id = ${str(project)}
            AND trace_id = ${str(traceId)} ORDER BY start_time, span_id`,
        )
        return (
          (await (
            await server.deps.store.client.query({ query, query_params: params, format: 'JSONEachRow' })
          ).json<unknown>()) as unknown[]
        ).length
      })
    const newRead = () => timed(async () => (await repository.get(project, traceId, 'skeleton'))!.rows.length)
    const request = (path: string) => () =>
      timed(async () => {
        const res = await fetch(`${server.url}/api/v1/traces/${traceId}${path}`, {
          headers: { ...server.authHeaders, 'Accept-Encoding': 'gzip' },
        })
        if (res.status !== 200) throw new Error(`${path}: ${res.status}`)
        return (await res.arrayBuffer()).byteLength
      })
    const runs = {
      'store read, before': oldRead,
      'store read, now': newRead,
      'GET ?view=skeleton (rows)': request('?view=skeleton'),
      'GET /skeleton (columns)': request('/skeleton'),
    }
    const results: Record<string, Array<{ ms: number; bytes: number }>> = {}
    for (let r = 0; r < ROUNDS; r++)
      for (const [name, run] of Object.entries(runs)) (results[name] ??= []).push(await run())
    for (const [name, xs] of Object.entries(results)) {
      console.log(
        `${spans} spans | ${name} | median ${Math.round(median(xs.map((x) => x.ms)))} ms ` +
          `(${xs.map((x) => Math.round(x.ms)).join(', ')}) ` +
          `| ${xs[0]!.bytes.toLocaleString('en-US')} ${name.startsWith('GET') ? 'bytes (decoded body)' : 'rows'}`,
      )
    }
  }
  console.log(
    `load average after: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  )
} finally {
  await server.stop()
}
