/**
 * The real OTel JS SDK and both OTLP/HTTP exporters (JSON and protobuf, with and without gzip)
 * against the real server, and the exporter's retry loop against injected 503/429 faults. Every
 * assertion reads the stored spans back through the query API.
 */
import { ExportResultCode } from '@opentelemetry/core'
import type { GetTraceResponse } from '@sightline/schema'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { failFirst, forward, startFaultProxy, type FaultAction } from './fault-proxy.js'
import { recordGenAiRun, type GenAiRun, type GenAiRunOptions } from './genai-run.js'
import { createPipeline, type Protocol } from './pipeline.js'
import { countBySpanId, listTraces, waitForTrace } from './query.js'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer()
})
afterAll(async () => {
  await server?.stop()
})

let runNumber = 0
function runOptions(label: string): GenAiRunOptions {
  runNumber += 1
  // Distinct numbers per run, so a span leaking into another trace would change its totals.
  return {
    agentName: `agent-${label}`,
    model: 'gpt-4o',
    toolName: 'get_weather',
    toolCallId: `call_${label}`,
    usage: [
      [100 + runNumber, 20 + runNumber],
      [200 + runNumber, 10 + runNumber],
    ],
    cachedInputTokens: 40,
  }
}

/** Sends one GenAI run through a fresh SDK pipeline and returns it once the exporter says SUCCESS. */
async function exportRun(baseUrl: string, protocol: Protocol, gzip: boolean, label: string) {
  const options = runOptions(label)
  const pipeline = createPipeline({ baseUrl, protocol, gzip, serviceName: `svc-${label}` })
  try {
    const run = recordGenAiRun(pipeline.provider.getTracer('live-test'), options)
    await pipeline.flush()
    return { run, options, results: pipeline.exporter.results }
  } finally {
    await pipeline.shutdown()
  }
}

function expectStoredOnce(detail: GetTraceResponse, run: GenAiRun, options: GenAiRunOptions, label: string) {
  const { spans, trace } = detail
  const ids = Object.values(run.spanIds)
  const counts = countBySpanId(spans)
  expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(ids.map((id) => [id, 1])))
  expect(spans.every((s) => s.traceId === run.traceId)).toBe(true)

  const byId = new Map(spans.map((s) => [s.spanId, s]))
  const agent = byId.get(run.spanIds.agent)!
  const chat1 = byId.get(run.spanIds.chat1)!
  const tool = byId.get(run.spanIds.tool)!
  const chat2 = byId.get(run.spanIds.chat2)!

  expect(agent).toMatchObject({ kind: 'agent', agentName: options.agentName, parentSpanId: '', serviceName: `svc-${label}` })
  expect(agent).toMatchObject({ isLlmCall: false, inputTokens: 0, outputTokens: 0 })
  for (const [chat, [input, output], cached] of [
    [chat1, options.usage[0], options.cachedInputTokens],
    [chat2, options.usage[1], 0],
  ] as const) {
    expect(chat).toMatchObject({
      kind: 'llm',
      isLlmCall: true,
      model: options.model,
      provider: 'openai',
      inputTokens: input,
      outputTokens: output,
      cachedInputTokens: cached,
      parentSpanId: run.spanIds.agent,
    })
  }
  expect(tool).toMatchObject({
    kind: 'tool',
    isLlmCall: false,
    toolName: options.toolName,
    toolCallId: options.toolCallId,
    parentSpanId: run.spanIds.agent,
    inputTokens: 0,
  })
  expect(JSON.parse(tool.toolArguments)).toEqual(JSON.parse(run.toolArguments))
  expect(JSON.parse(tool.toolResult)).toEqual(JSON.parse(run.toolResult))

  const [[in1, out1], [in2, out2]] = options.usage
  expect(trace).toMatchObject({
    traceId: run.traceId,
    name: options.agentName,
    outcome: 'ok',
    serviceNames: [`svc-${label}`],
    agents: [options.agentName],
    models: [options.model],
    spanCount: 4,
    llmCallCount: 2,
    toolCallCount: 1,
    errorCount: 0,
    inputTokens: in1 + in2,
    outputTokens: out1 + out2,
    cachedInputTokens: options.cachedInputTokens,
    reasoningTokens: 0,
    unpricedLlmCalls: 0,
  })
  expect(trace.costUsd).toBeGreaterThan(0)
}

/** The list endpoint must agree with the detail endpoint: one row for the trace, same span count. */
async function expectListedOnce(run: GenAiRun) {
  const rows = (await listTraces(server)).traces.filter((t) => t.traceId === run.traceId)
  expect(rows).toHaveLength(1)
  expect(rows[0]).toMatchObject({ spanCount: 4, llmCallCount: 2, toolCallCount: 1 })
}

describe('OTLP/HTTP exporters into the server', () => {
  it.each([
    { protocol: 'json', gzip: false },
    { protocol: 'json', gzip: true },
    { protocol: 'protobuf', gzip: false },
    { protocol: 'protobuf', gzip: true },
  ] as const)('$protocol (gzip: $gzip) stores every GenAI span once with its kind, model, tokens and tool', async ({ protocol, gzip }) => {
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
  })
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
