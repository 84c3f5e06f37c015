/**
 * The loader's last line of defence, with rows the storability gate would have stopped written
 * straight into the spool (as spans spooled by an older version would be): a segment the store
 * refuses is split until only the refused rows are left, those alone are quarantined under their
 * own project (files, index, API, metric), and a crash in the middle of the split stores nothing
 * twice when the segment is replayed.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { GetQuarantineResponse, SpanRowInsert } from '@sightline/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Store } from '../../src/db/client.js'
import { QuarantineRepository } from '../../src/db/repositories/quarantine.js'
import { sql, str } from '../../src/db/sql.js'
import { SPAN_SEGMENT_HEADER } from '../../src/ingest/segment-format.js'
import { SpanWriter } from '../../src/ingest/writer.js'
import { createLogger } from '../../src/logger.js'
import { createMetrics } from '../../src/metrics.js'
import { makeSpanRow } from '../factories/span-row.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { apiGet } from '../edge/helpers.js'

let server: TestServer
let seq = 0

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server?.stop()
})

function spanRow(projectId: string, overrides: Partial<SpanRowInsert> = {}): SpanRowInsert {
  seq++
  return makeSpanRow({
    project_id: projectId,
    trace_id: seq.toString(16).padStart(32, 'a'),
    span_id: seq.toString(16).padStart(16, 'b'),
    start_time: '2026-03-01 10:00:00.000000000',
    end_time: '2026-03-01 10:00:01.000000000',
    input: `prompt ${seq}: SECRET-USER-DATA`,
    ...overrides,
  })
}

const spanCount = async (projectId: string) =>
  Number(
    (
      await server.deps.store.query<{ n: string }>(
        sql`SELECT count() AS n FROM spans WHERE project_id = ${str(projectId)}`,
      )
    )[0]?.n,
  )
/** The project's traces resolved (writers built by a test have no resolver), then the spans the rollups count. */
const rolledUp = async (projectId: string) => {
  const traces = await server.deps.store.query<{ trace_id: string }>(
    sql`SELECT DISTINCT trace_id FROM spans WHERE project_id = ${str(projectId)}`,
  )
  await server.deps.resolver.resolveBatch(
    projectId,
    traces.map((t) => t.trace_id),
  )
  return Number(
    (
      await server.deps.store.query<{ n: string }>(
        sql`SELECT sum(spans) AS n FROM agg_5m WHERE project_id = ${str(projectId)} AND dim_type = 'total'`,
      )
    )[0]?.n,
  )
}

describe('a refused segment is split, and only the refused rows are quarantined', () => {
  const overflow = { start_time: '2554-07-21 23:34:33.709551615' }
  const negative = { input_tokens: -5, is_llm_call: true }
  let a: { projectId: string; apiKey: string }
  let b: { projectId: string; apiKey: string }
  let goodA: SpanRowInsert[]
  let goodB: SpanRowInsert[]
  let poisonA: SpanRowInsert
  let poisonB: SpanRowInsert

  beforeAll(async () => {
    a = await server.deps.projects.createProject('quarantine-a')
    b = await server.deps.projects.createProject('quarantine-b')
    goodA = Array.from({ length: 20 }, () => spanRow(a.projectId))
    goodB = Array.from({ length: 20 }, () => spanRow(b.projectId))
    poisonA = spanRow(a.projectId, overflow)
    poisonB = spanRow(b.projectId, negative)
    // One segment: good rows of both projects around one bad row of each.
    await server.deps.writer.write([
      ...goodA.slice(0, 7),
      poisonA,
      ...goodB.slice(0, 12),
      ...goodA.slice(7),
      poisonB,
      ...goodB.slice(12),
    ])
    await server.drain()
  })

  it('stores every good row of both projects', async () => {
    expect(await spanCount(a.projectId)).toBe(20)
    expect(await spanCount(b.projectId)).toBe(20)
    expect(await rolledUp(a.projectId)).toBe(20)
    expect(await rolledUp(b.projectId)).toBe(20)
  })

  it('keeps each bad row on disk under its own project, private, with the reason and no exception text', () => {
    const root = path.join(server.dataDir, 'spool', 'quarantine')
    expect(fs.statSync(root).mode & 0o777).toBe(0o700)
    for (const [project, poison, reason] of [
      [a, poisonA, 'DECIMAL_OVERFLOW (407)'],
      // A negative count in a UInt64 column: TabSeparated's parser stops at the '-'.
      [b, poisonB, 'CANNOT_PARSE_INPUT_ASSERTION_FAILED (27)'],
    ] as const) {
      const dir = path.join(root, project.projectId)
      expect(fs.statSync(dir).mode & 0o777).toBe(0o700)
      const files = fs.readdirSync(dir).sort()
      expect(files).toHaveLength(2)
      for (const file of files) expect(fs.statSync(path.join(dir, file)).mode & 0o777).toBe(0o600)
      const [sidecarFile, rowsFile] = files as [string, string]
      const sidecar = JSON.parse(fs.readFileSync(path.join(dir, sidecarFile), 'utf8')) as {
        spans: Array<{ traceId: string; spanId: string; reason: string }>
      }
      expect(sidecar.spans).toEqual([
        expect.objectContaining({ traceId: poison.trace_id, spanId: poison.span_id, reason }),
      ])
      const lines = fs.readFileSync(path.join(dir, rowsFile), 'utf8').trim().split('\n')
      expect(lines).toHaveLength(2)
      expect(`${lines[0]}\n`).toBe(SPAN_SEGMENT_HEADER.toString('utf8'))
      expect(lines[1]).toContain(poison.span_id)
      expect(fs.readFileSync(path.join(dir, sidecarFile), 'utf8')).not.toMatch(/SECRET|parsed text|DB::Exception/)
    }
  })

  it('counts them in /metrics by reason', async () => {
    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    expect(metrics).toMatch(/^sightline_spans_quarantined_total\{reason="DECIMAL_OVERFLOW"\} 1$/m)
    expect(metrics).toMatch(/^sightline_spans_quarantined_total\{reason="CANNOT_PARSE_INPUT_ASSERTION_FAILED"\} 1$/m)
  })

  it('shows each project its own quarantined spans, and only those', async () => {
    const forA = await apiGet<GetQuarantineResponse>(server.url, '/api/v1/quarantine', a.apiKey)
    expect(forA.status).toBe(200)
    expect(forA.body).toMatchObject({ total: 1, byReason: [{ reason: 'DECIMAL_OVERFLOW (407)', spans: 1 }] })
    expect(forA.body.recent).toEqual([
      expect.objectContaining({ traceId: poisonA.trace_id, spanId: poisonA.span_id, reason: 'DECIMAL_OVERFLOW (407)' }),
    ])
    const forB = await apiGet<GetQuarantineResponse>(server.url, '/api/v1/quarantine', b.apiKey)
    expect(forB.body.recent.map((s) => s.spanId)).toEqual([poisonB.span_id])
    const past = await apiGet<GetQuarantineResponse>(
      server.url,
      '/api/v1/quarantine?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z',
      a.apiKey,
    )
    expect(past.body.total).toBe(0)
    expect((await apiGet(server.url, '/api/v1/quarantine?limit=0', a.apiKey)).status).toBe(400)
    expect((await fetch(`${server.url}/api/v1/quarantine`)).status).toBe(401)
  })
})

describe('a crash in the middle of a split', () => {
  it('replays the segment, splits it the same way and stores nothing twice', async () => {
    const project = await server.deps.projects.createProject('quarantine-crash')
    const rows = Array.from({ length: 16 }, (_, i) =>
      spanRow(
        project.projectId,
        i === 3 ? { start_time: '2300-01-01 00:00:00.000000000' } : i === 12 ? { output_tokens: -1 } : {},
      ),
    )
    const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-crash-spool-'))
    const options = { spoolDir, maxSpoolBytes: 1 << 30, segmentBytes: 1 << 30, segmentMaxAgeMs: 600_000 }
    const logger = createLogger('silent')
    const index = new QuarantineRepository(server.deps.store)

    // Inserts in order: whole (refused), 0-8 (refused), 0-4 (refused), 0-2, 2-4 (refused), 2-3,
    // 3-4 (refused), 4-8, then 8-16: the process "dies" there, its insert never returns.
    let calls = 0
    const dying: Store = {
      ...server.deps.store,
      insertValues: (...args) =>
        ++calls >= 9 ? new Promise<void>(() => undefined) : server.deps.store.insertValues(...args),
    }
    const first = new SpanWriter(dying, options, createMetrics(), logger, index)
    await first.start()
    await first.write(rows)
    void first.drain()
    await waitUntil(() => calls >= 9)
    expect(await spanCount(project.projectId)).toBe(7)

    const second = new SpanWriter(server.deps.store, options, createMetrics(), logger, index)
    await second.start()
    await second.drain()
    expect(await spanCount(project.projectId)).toBe(14)
    expect(await rolledUp(project.projectId)).toBe(14)
    expect(fs.readdirSync(spoolDir).filter((f) => f.endsWith('.jsonl'))).toEqual([])
    const quarantined = fs.readdirSync(path.join(spoolDir, 'quarantine', project.projectId))
    expect(quarantined).toHaveLength(2)
  })
})

describe('a segment spooled before segments had a header (JSONEachRow objects)', () => {
  it('is split the same way', async () => {
    const project = await server.deps.projects.createProject('quarantine-legacy')
    const rows = Array.from({ length: 5 }, (_, i) =>
      spanRow(project.projectId, i === 2 ? { name: 'bad \ud800 name' } : {}),
    )
    const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-legacy-spool-'))
    fs.writeFileSync(
      path.join(spoolDir, 'seg-000000000001-0000abcd.jsonl'),
      rows.map((row) => `${JSON.stringify(row)}\n`).join(''),
    )
    const writer = new SpanWriter(
      server.deps.store,
      { spoolDir, maxSpoolBytes: 1 << 30, segmentBytes: 1 << 30, segmentMaxAgeMs: 600_000 },
      createMetrics(),
      createLogger('silent'),
      new QuarantineRepository(server.deps.store),
    )
    await writer.start()
    await writer.drain()
    expect(await spanCount(project.projectId)).toBe(4)
    const dir = path.join(spoolDir, 'quarantine', project.projectId)
    const kept = fs.readFileSync(path.join(dir, 'seg-000000000001-0000abcd.jsonl'), 'utf8').trim().split('\n')
    expect(kept.map((line) => (JSON.parse(line) as { span_id: string }).span_id)).toEqual([rows[2]!.span_id])
    const sidecar = JSON.parse(fs.readFileSync(path.join(dir, 'seg-000000000001-0000abcd.json'), 'utf8')) as {
      spans: Array<{ line: number; reason: string }>
    }
    expect(sidecar.spans).toEqual([expect.objectContaining({ line: 2, reason: 'CANNOT_PARSE_ESCAPE_SEQUENCE (25)' })])
  })
})

async function waitUntil(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
