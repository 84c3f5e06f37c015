/**
 * Acceptance: a stream of good and poison spans (every kind in poison-otlp.ts) from several
 * projects, over many small spool segments. Every span the edge acknowledged is readable through
 * the API, exactly; every refused one was refused with partial success; nothing is quarantined.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { Rng } from '../../bench/anomaly/rng.js'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { authFor, postOtlp, readProject } from '../edge/helpers.js'
import { baseSpan, POISON_KINDS, requestBody, type OtlpSpan } from './poison-otlp.js'

let server: TestServer

beforeAll(async () => {
  // Small segments: a stream of a few hundred spans lands in dozens of them.
  server = await startTestServer({ SPOOL_SEGMENT_BYTES: '16384', SPOOL_SEGMENT_MAX_AGE_MS: '50' })
})
afterAll(async () => {
  await server?.stop()
})

it('acknowledged good spans readable = acknowledged, exactly, across projects and segments', async () => {
  const rng = new Rng(20261205)
  const projects = await Promise.all([1, 2, 3].map((i) => server.deps.projects.createProject(`mixed-${i}`)))
  const sent = new Map<string, { kind: (typeof POISON_KINDS)[number]; spanId: string }[]>()
  let expectedRejected = 0
  let answeredRejected = 0
  for (let request = 0; request < 45; request++) {
    const project = projects[request % projects.length]!
    const spans: OtlpSpan[] = []
    const traceId = baseSpan().traceId
    for (let i = 0; i < 12; i++) {
      // Every kind appears in every project; the rest is random.
      const kind =
        i < POISON_KINDS.length && request < 3
          ? POISON_KINDS[(i + request) % POISON_KINDS.length]!
          : POISON_KINDS[Math.floor(rng.next() * POISON_KINDS.length)]!
      const span = baseSpan(traceId)
      kind.make(span)
      spans.push(span)
      if (kind.expect === 'reject') expectedRejected++
      else sent.set(project.projectId, [...(sent.get(project.projectId) ?? []), { kind, spanId: span.spanId }])
    }
    const res = await postOtlp(server.url, requestBody(spans, request % 5 === 0), {
      'Content-Type': 'application/json',
      ...authFor(project.apiKey),
    })
    expect(res.status).toBe(200)
    const answer = JSON.parse(res.body.toString('utf8')) as { partialSuccess?: { rejectedSpans?: string } }
    answeredRejected += Number(answer.partialSuccess?.rejectedSpans ?? 0)
  }
  expect(answeredRejected).toBe(expectedRejected)
  await server.drain()

  let acknowledged = 0
  let readable = 0
  for (const project of projects) {
    const expected = sent.get(project.projectId) ?? []
    const { spans } = await readProject(server.url, project.apiKey)
    acknowledged += expected.length
    readable += spans.length
    expect(new Set(spans.map((s) => s.spanId))).toEqual(new Set(expected.map((e) => e.spanId)))
    const byId = new Map(spans.map((s) => [s.spanId, s]))
    for (const { kind, spanId } of expected) {
      if (kind.flag) expect(byId.get(spanId)?.flags, kind.name).toContain(kind.flag)
      expect(byId.get(spanId)?.name.isWellFormed(), kind.name).toBe(true)
    }
  }
  expect(readable).toBe(acknowledged)
  expect(acknowledged).toBeGreaterThan(300)
  expect(fs.existsSync(path.join(server.dataDir, 'spool', 'quarantine'))).toBe(false)
  const metrics = await (await fetch(`${server.url}/metrics`)).text()
  expect(metrics).toMatch(/^sightline_spans_clamped_total\{field="tokens"\} [1-9]/m)
  expect(metrics).toMatch(/^sightline_spans_rejected_total\{reason="unstorable_start_time",transport="http"\} [1-9]/m)
  expect(metrics).not.toMatch(/^sightline_spans_quarantined_total\{/m)
})
