/**
 * A spool left by earlier versions (JSONEachRow objects with no header line; JSONCompactEachRow
 * under a JSON header) is replayed on start, next to a segment in the current TabSeparated format:
 * an upgrade never strands acknowledged spans.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { GetTraceResponse } from '@sightline/schema'
import { afterAll, describe, expect, it } from 'vitest'
import { SPAN_INSERT_COLUMNS } from '@sightline/schema'
import { encodeSpanRows, SPAN_SEGMENT_HEADER } from '../../src/ingest/segment-format.js'
import { makeSpanRow } from '../factories/span-row.js'
import { getJson, startTestServer, type TestServer } from '../helpers/server.js'

const TRACE = 'ab'.repeat(16)
const startedAt = new Date(Date.now() - 3_600_000).toISOString().replace('T', ' ').replace('Z', '000000')
const row = (spanId: string, parent = '') =>
  makeSpanRow({
    trace_id: TRACE,
    span_id: spanId,
    parent_span_id: parent,
    name: `span ${spanId}`,
    start_time: startedAt,
    end_time: startedAt,
  })

let server: TestServer | undefined
afterAll(async () => {
  await server?.stop()
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true })
})

describe('spool from an earlier version', () => {
  it('replays a headerless JSONEachRow segment, a compact one and a current one, each span once', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-upgrade-'))
    const spool = path.join(dataDir, 'spool')
    fs.mkdirSync(spool, { recursive: true })
    const legacy = [row('0000000000000001'), row('0000000000000002', '0000000000000001')]
    fs.writeFileSync(
      path.join(spool, 'seg-000000000001-00000001.jsonl'),
      legacy.map((r) => `${JSON.stringify(r)}\n`).join(''),
    )
    const compact = row('0000000000000003', '0000000000000001')
    fs.writeFileSync(
      path.join(spool, 'seg-000000000002-00000002.jsonl'),
      `${JSON.stringify(SPAN_INSERT_COLUMNS)}\n${JSON.stringify(SPAN_INSERT_COLUMNS.map((c) => compact[c]))}\n`,
    )
    fs.writeFileSync(
      path.join(spool, 'seg-000000000003-00000003.jsonl'),
      Buffer.concat([SPAN_SEGMENT_HEADER, encodeSpanRows([row('0000000000000004', '0000000000000001')])]),
    )

    server = await startTestServer({}, dataDir)
    await server.drain()
    const { status, body } = await getJson<GetTraceResponse>(server, `/api/v1/traces/${TRACE}`)
    expect(status).toBe(200)
    expect(body.spans.map((s) => s.spanId).sort()).toEqual([
      '0000000000000001',
      '0000000000000002',
      '0000000000000003',
      '0000000000000004',
    ])
    expect(fs.readdirSync(spool).filter((n) => n.endsWith('.jsonl'))).toEqual([])
  })
})
