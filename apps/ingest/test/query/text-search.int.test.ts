/**
 * Text search (`q=`): a case-insensitive substring of what the user typed, over the trace's name,
 * previews and failure reason and over every span's name, input, output, tool arguments, tool
 * result and status message. The columns carry text indexes (migrations 0001, 0027) and the list
 * looks for matches newest hour first (src/db/repositories/trace-page.ts): neither may change
 * which traces match, LIKE's wildcards and escape character included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ListTracesResponse } from '@sightline/schema'
import { ident, join, sql, str } from '../../src/db/sql.js'
import { makeTraceRequest, sendJson, traceIdFor, type TraceSpec } from '@sightline/testkit/otlp-json'
import { getJson, startTestServer, type TestServer } from '../helpers/server.js'

let server: TestServer
const TO_MS = Date.parse('2026-05-10T12:00:00Z')
const HOUR = 3600_000
const FROM = new Date(TO_MS - 7 * 24 * HOUR).toISOString()
const TO = new Date(TO_MS).toISOString()

// Only tool spans carry the searched words: the traces' names and previews come from the agent and
// model spans, so a match proves the span subquery found it.
const specs: TraceSpec[] = [
  { seed: 'ts-wildcards', startMs: TO_MS - 2 * HOUR, tools: [{ name: 'pricing', result: 'promo 50%_off today' }] },
  { seed: 'ts-lookalike', startMs: TO_MS - 3 * HOUR, tools: [{ name: 'pricing', result: 'promo 50xxoff today' }] },
  // A status message is stored as sent; a tool result as JSON text (quotes and backslashes escaped).
  {
    seed: 'ts-backslash',
    startMs: TO_MS - 30 * HOUR,
    tools: [{ name: 'files', error: 'cannot write C:\\Temp\\report.csv: "disk full"' }],
  },
  {
    seed: 'ts-quotes',
    startMs: TO_MS - 4 * 24 * HOUR,
    tools: [{ name: 'notes', result: "it's Quetzalcoatlus, twice" }],
  },
  { seed: 'ts-args', startMs: TO_MS - 20 * 60_000, tools: [{ name: 'search', args: { city: 'Ouagadougou' } }] },
  { seed: 'ts-error', startMs: TO_MS - 6 * 24 * HOUR, tools: [{ name: 'search', error: 'upstream Brontosaurus 503' }] },
]

const search = async (q: string, extra = '') => {
  const res = await getJson<ListTracesResponse>(
    server,
    `/api/v1/traces?from=${FROM}&to=${TO}&q=${encodeURIComponent(q)}${extra}`,
  )
  expect(res.status).toBe(200)
  return res.body
}
const found = async (q: string) => (await search(q)).traces.map((t) => t.traceId)
const idsOf = (...seeds: string[]) => seeds.map(traceIdFor)

beforeAll(async () => {
  server = await startTestServer()
  for (const spec of specs) await sendJson(server.url, server.authHeaders, makeTraceRequest(spec))
  await server.drain()
})
afterAll(async () => {
  await server?.stop()
})

describe('GET /api/v1/traces?q=', () => {
  it('finds a word only a tool result holds, in any case, as a substring; not a word nobody wrote', async () => {
    const [quotes] = (await search('quetzalcoatlus')).traces
    expect(quotes?.traceId).toBe(traceIdFor('ts-quotes'))
    expect(`${quotes?.name} ${quotes?.inputPreview} ${quotes?.outputPreview}`).not.toMatch(/quetzal/i)
    expect(await found('QUETZALCOAT')).toEqual(idsOf('ts-quotes'))
    expect(await found('etzalcoa')).toEqual(idsOf('ts-quotes'))
    expect(await found('quetzalcoatlusaurus')).toEqual([])
    expect(await found('pterodactyl')).toEqual([])
  })

  it('matches tool arguments and the status message of a failed tool span', async () => {
    expect(await found('ouagadougou')).toEqual(idsOf('ts-args'))
    expect(await found('brontosaurus 503')).toEqual(idsOf('ts-error'))
  })

  it('takes %, _ and \\ literally', async () => {
    expect(await found('50%_off')).toEqual(idsOf('ts-wildcards'))
    expect(await found('50%')).toEqual(idsOf('ts-wildcards'))
    expect(await found('promo 50')).toEqual(idsOf('ts-wildcards', 'ts-lookalike'))
    expect(await found('50__off')).toEqual([])
    expect(await found('c:\\temp\\report')).toEqual(idsOf('ts-backslash'))
    expect(await found('c:\\\\temp')).toEqual([])
    expect(await found('\\')).toEqual(idsOf('ts-backslash'))
  })

  it('takes quotes literally', async () => {
    expect(await found(`it's quetzalcoatlus`)).toEqual(idsOf('ts-quotes'))
    expect(await found(`"disk full"`)).toEqual(idsOf('ts-backslash'))
    expect(await found(`"disk full""`)).toEqual([])
    expect(await found(`it''s`)).toEqual([])
    expect(await found(`'; DROP TABLE spans; --`)).toEqual([])
  })

  it('answers a word from the text indexes of every searched column, not by reading the text', async () => {
    const plan = async (table: 'spans' | 'traces', columns: string[]) => {
      const match = columns.map((c) => sql`${ident(c, columns)} ILIKE ${str('%quetzal%')}`)
      const rows = await server.deps.store.query<{ explain: string }>(
        sql`EXPLAIN actions = 1 SELECT trace_id FROM ${ident(table, ['spans', 'traces'])} WHERE ${join(match, ' OR ')}`,
      )
      return rows.map((r) => r.explain).join('\n')
    }
    const spans = ['name', 'input', 'output', 'tool_arguments', 'tool_result', 'status_message']
    const traces = ['name', 'input_preview', 'output_preview', 'failure_reason']
    for (const [table, columns] of [
      ['spans', spans],
      ['traces', traces],
    ] as const) {
      const text = await plan(table, columns)
      for (const c of columns) expect(text, `${table}.${c}`).toContain(`__text_index_idx_${c}_ilike`)
    }
  })

  it('pages matches newest first across the hours it looks in first and the rest of the range', async () => {
    const all = idsOf('ts-args', 'ts-wildcards', 'ts-lookalike', 'ts-backslash', 'ts-quotes', 'ts-error')
    // A word of every tool span (their span names), one trace per page.
    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = await search('execute_tool', `&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      seen.push(...page.traces.map((t) => t.traceId))
      cursor = page.nextCursor ?? undefined
    } while (cursor && seen.length < 10)
    expect(seen).toEqual(all)
    expect((await search('execute_tool', '&limit=3')).traces.map((t) => t.traceId)).toEqual(all.slice(0, 3))
  })
})
