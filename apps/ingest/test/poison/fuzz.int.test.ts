/**
 * The fuzzer: random mutations (fuzz-mutations.ts) of the real OTLP bodies in the corpus, JSON and
 * protobuf, plain and gzip, sent through the real HTTP edge into the real embedded store. It must
 * end with no 5xx, no crash, and no acknowledged span lost: for every 200, the acknowledged
 * (trace id, span id) set is computed with the server's own decode → normalise → price → gate
 * (`rowsFromBody`, in-process), and after draining every one of them must be stored, and none
 * quarantined. A separate project per 50 requests keeps the accounting exact.
 *
 * CI size: 2,000 requests, seed 7. SIGHTLINE_FUZZ_REQUESTS=50000 SIGHTLINE_FUZZ_SEED=<n> for a
 * longer run; a failure names the request index, which the seed replays.
 */
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { Rng } from '../../bench/anomaly/rng.js'
import { sql, str } from '../../src/db/sql.js'
import type { OtlpEncoding } from '../../src/otlp/decode.js'
import { rowsFromBody } from '../../src/otlp/rows-from-body.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { CORPUS_DIR, corpusFileNames, EDGE_DIR, readCorpusBody } from '@sightline/testkit/corpus'
import { apiGet, authFor, postOtlp } from '../edge/helpers.js'
import { Mutator } from './fuzz-mutations.js'

const REQUESTS = Number(process.env['SIGHTLINE_FUZZ_REQUESTS'] ?? 2000)
const SEED = Number(process.env['SIGHTLINE_FUZZ_SEED'] ?? 7)
const PER_PROJECT = 50
const CONCURRENCY = 16
const MAX_ATTRIBUTE_BYTES = 256 * 1024

let server: TestServer

beforeAll(async () => {
  server = await startTestServer({
    INGEST_MAX_ATTRIBUTE_BYTES: String(MAX_ATTRIBUTE_BYTES),
    SPOOL_SEGMENT_BYTES: String(256 * 1024),
  })
})
afterAll(async () => {
  await server?.stop()
})

interface Input {
  file: string
  body: Buffer
  encoding: OtlpEncoding
}

function corpusInputs(): Input[] {
  const inputs: Input[] = []
  for (const dir of [CORPUS_DIR, EDGE_DIR]) {
    for (const file of corpusFileNames(dir).filter((f) => !f.startsWith('INVALID'))) {
      inputs.push({ file, ...readCorpusBody(file, dir) })
    }
  }
  return inputs
}

it(`${REQUESTS} mutated requests: no 5xx, no crash, every acknowledged span stored`, { timeout: 300_000 }, async () => {
  const inputs = corpusInputs()
  expect(inputs.map((i) => i.encoding)).toEqual(expect.arrayContaining(['json', 'protobuf']))
  const mutator = new Mutator(new Rng(SEED))
  const acknowledged = new Map<string, { apiKey: string; keys: Set<string> }>()
  const projects: Array<{ projectId: string; apiKey: string }> = []
  for (let i = 0; i < REQUESTS; i += PER_PROJECT) {
    const project = await server.deps.projects.createProject(`fuzz-${i}`)
    projects.push(project)
    acknowledged.set(project.projectId, { apiKey: project.apiKey, keys: new Set() })
  }
  const statuses = new Map<number, number>()
  // Requests go out CONCURRENCY at a time (they then share spool fsyncs, as real traffic does);
  // bodies are made in order first, so the seed alone decides every request.
  for (let first = 0; first < REQUESTS; first += CONCURRENCY) {
    const batch = Array.from({ length: Math.min(CONCURRENCY, REQUESTS - first) }, (_, k) => {
      const input = mutator.pick(inputs)
      return {
        index: first + k,
        input,
        project: projects[Math.floor((first + k) / PER_PROJECT)]!,
        ...mutator.mutate(input.body, input.encoding),
      }
    })
    await Promise.all(
      batch.map(async ({ index, input, project, body, gzip }) => {
        const headers: Record<string, string> = {
          'Content-Type': input.encoding === 'json' ? 'application/json' : 'application/x-protobuf',
          ...authFor(project.apiKey),
        }
        if (gzip) headers['Content-Encoding'] = 'gzip'
        const res = await postOtlp(server.url, body, headers)
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
        expect(
          res.status,
          `request ${index} (${input.file}) answered ${res.status}: ${res.body.toString('utf8').slice(0, 200)}`,
        ).toBeLessThan(500)
        if (res.status !== 200) return
        const { rows } = rowsFromBody(gzip ? gunzipSync(body) : body, input.encoding, {
          projectId: project.projectId,
          maxAttributeValueBytes: MAX_ATTRIBUTE_BYTES,
        })
        const keys = acknowledged.get(project.projectId)!.keys
        for (const row of rows) keys.add(`${row.trace_id}/${row.span_id}`)
      }),
    )
  }
  await server.drain()

  let total = 0
  for (const [projectId, { apiKey, keys }] of acknowledged) {
    const stored = await server.deps.store.query<{ key: string }>(
      sql`SELECT DISTINCT concat(trace_id, '/', span_id) AS key FROM spans WHERE project_id = ${str(projectId)}`,
    )
    const storedKeys = new Set(stored.map((r) => r.key))
    const lost = [...keys].filter((key) => !storedKeys.has(key))
    expect(lost, `project ${projectId}: acknowledged but not stored`).toEqual([])
    expect(storedKeys.size).toBe(keys.size)
    total += keys.size
    // And readable through the API, as a user would read them (one span per project).
    const sample = [...keys][0]
    if (sample)
      expect((await apiGet(server.url, `/api/v1/traces/${sample.replace('/', '/spans/')}`, apiKey)).status).toBe(200)
  }
  const metrics = await (await fetch(`${server.url}/metrics`)).text()
  expect(metrics).not.toMatch(/^sightline_spans_quarantined_total\{/m)
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
  // The mix must exercise both outcomes, or the fuzzer proves nothing.
  expect(statuses.get(200) ?? 0).toBeGreaterThan(REQUESTS / 2)
  expect(statuses.get(400) ?? 0).toBeGreaterThan(REQUESTS / 50)
  expect(total).toBeGreaterThan(REQUESTS * 2)
  console.info(
    `fuzz: ${REQUESTS} requests (seed ${SEED}), statuses ${JSON.stringify(Object.fromEntries(statuses))}, ${total} ` +
      `spans acknowledged and stored`,
  )
})
