/**
 * The real OTel JS SDK and both OTLP/HTTP exporters (JSON and protobuf, with and without gzip)
 * against the real server, and the exporter's retry loop against injected 503/429 faults. Every
 * assertion reads the stored spans back through the query API.
 */
import { ExportResultCode } from '@opentelemetry/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { failFirst, forward, startFaultProxy, type FaultAction } from './fault-proxy.js'
import { expectStoredOnce, genAiRunOptions } from './expect-genai-run.js'
import { recordGenAiRun, type GenAiRun } from './genai-run.js'
import { createPipeline, type Protocol } from './pipeline.js'
import { listTraces, waitForTrace } from './query.js'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer({ SIGHTLINE_GRPC_PORT: '0' })
})
afterAll(async () => {
  await server?.stop()
})

/** Sends one GenAI run through a fresh SDK pipeline and returns it once the exporter says SUCCESS. */
async function exportRun(baseUrl: string, protocol: Protocol, gzip: boolean, label: string) {
  const options = genAiRunOptions(label)
  const pipeline = createPipeline({ baseUrl, protocol, gzip, serviceName: `svc-${label}` })
  try {
    const run = recordGenAiRun(pipeline.provider.getTracer('live-test'), options)
    await pipeline.flush()
    return { run, options, results: pipeline.exporter.results }
  } finally {
    await pipeline.shutdown()
  }
}

/** The list endpoint must agree with the detail endpoint: one row for the trace, same span count. */
async function expectListedOnce(run: GenAiRun) {
  const rows = (await listTraces(server)).traces.filter((t) => t.traceId === run.traceId)
  expect(rows).toHaveLength(1)
  expect(rows[0]).toMatchObject({ spanCount: 4, llmCallCount: 2, toolCallCount: 1 })
}

describe('OTLP/HTTP exporters into the server', () => {
  it('SIGHTLINE_GRPC_PORT=0 opens no gRPC listener: HTTP is the only TCP listener in this process', () => {
    expect(server.grpcPort).toBeUndefined()
    expect(process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap')).toHaveLength(1)
  })

  it.each([
    { protocol: 'json', gzip: false },
    { protocol: 'json', gzip: true },
    { protocol: 'protobuf', gzip: false },
    { protocol: 'protobuf', gzip: true },
  ] as const)(
    '$protocol (gzip: $gzip) stores every GenAI span once with its kind, model, tokens and tool',
    async ({ protocol, gzip }) => {
      const label = `${protocol}${gzip ? '-gz' : ''}`
      // A pass-through proxy only to see what went over the wire.
      const proxy = await startFaultProxy(server.url, failFirst(0, forward))
      const { run, options, results } = await exportRun(proxy.url, protocol, gzip, label).finally(() => proxy.close())
      expect(results.map((r) => r.code)).toEqual([ExportResultCode.SUCCESS])
      expect(proxy.records).toHaveLength(1)
      expect(proxy.records[0]).toMatchObject({
        method: 'POST',
        path: '/v1/traces',
        status: 200,
        contentType: protocol === 'json' ? 'application/json' : 'application/x-protobuf',
        contentEncoding: gzip ? 'gzip' : '',
      })

      const detail = await waitForTrace(server, run.traceId, 4)
      expectStoredOnce(detail, run, options, label)
      await expectListedOnce(run)
    },
  )
})

describe('exporter retries through a fault-injecting proxy', () => {
  const refuse503: FaultAction = { kind: 'refuse', status: 503 }
  const refuse429: FaultAction = { kind: 'refuse', status: 429, headers: { 'Retry-After': '1' } }

  it.each([
    { name: '503 twice', protocol: 'protobuf', gzip: true, fault: refuse503 },
    { name: '429 + Retry-After: 1 twice', protocol: 'json', gzip: false, fault: refuse429 },
  ] as const)('$name: the exporter retries and the batch is stored once', async ({ protocol, gzip, fault }) => {
    const proxy = await startFaultProxy(server.url, failFirst(2, fault))
    try {
      const label = `retry-${fault.status}`
      const { run, options, results } = await exportRun(proxy.url, protocol, gzip, label)
      expect(results.map((r) => r.code)).toEqual([ExportResultCode.SUCCESS])
      expect(proxy.posts()).toBe(3)
      expect(proxy.records.map((r) => [r.action, r.upstreamStatus, r.status])).toEqual([
        ['refuse', undefined, fault.status],
        ['refuse', undefined, fault.status],
        ['forward', 200, 200],
      ])

      const detail = await waitForTrace(server, run.traceId, 4)
      expectStoredOnce(detail, run, options, label)
      await expectListedOnce(run)
    } finally {
      await proxy.close()
    }
  })

  it.each(['json', 'protobuf'] as const)(
    '%s: a batch the server stored but the exporter saw fail is sent again and still seen once',
    async (protocol) => {
      const proxy = await startFaultProxy(server.url, failFirst(1, { kind: 'forward-then-fail', status: 503 }))
      try {
        const label = `dup-${protocol}`
        const { run, options, results } = await exportRun(proxy.url, protocol, false, label)
        expect(results.map((r) => r.code)).toEqual([ExportResultCode.SUCCESS])
        // Both attempts reached the server and were accepted: the same spans were written twice.
        expect(proxy.records.map((r) => [r.action, r.upstreamStatus, r.status])).toEqual([
          ['forward-then-fail', 200, 503],
          ['forward', 200, 200],
        ])

        const detail = await waitForTrace(server, run.traceId, 4)
        expectStoredOnce(detail, run, options, label)
        await expectListedOnce(run)
      } finally {
        await proxy.close()
      }
    },
  )
})
