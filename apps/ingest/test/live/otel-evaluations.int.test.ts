/**
 * OpenTelemetry evaluation results (`gen_ai.evaluation.result`) from the real OTel JS SDK land as
 * `otel` scores on the right span: as span events, and as log records from the real OTLP log
 * exporters (HTTP protobuf and gRPC), parented to the span or correlated by `gen_ai.response.id`,
 * including a log that reaches the server before its span.
 */
import { context, trace, type Span, type Tracer } from '@opentelemetry/api'
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc'
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs'
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base'
import { Metadata } from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ListScoresResponse } from '@sightline/schema'
import { EvaluationLogIngest } from '../../src/eval/evaluation-logs.js'
import { freePort, getJson, startTestServer, TEST_API_KEY, type TestServer } from '../helpers/server.js'

let server: TestServer
const auth = { Authorization: `Bearer ${TEST_API_KEY}` }

beforeAll(async () => {
  server = await startTestServer({ SIGHTLINE_GRPC_PORT: String(await freePort()) })
})
afterAll(async () => {
  await server?.stop()
})

function tracing(): { tracer: Tracer; provider: BasicTracerProvider; sent: InMemorySpanExporter } {
  const exporter = new OTLPTraceExporter({ url: `${server.url}/v1/traces`, headers: auth })
  const sent = new InMemorySpanExporter()
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'rag-app', 'service.version': '4.2.0' }),
    spanProcessors: [new BatchSpanProcessor(exporter), new SimpleSpanProcessor(sent)],
  })
  return { tracer: provider.getTracer('eval-test'), provider, sent }
}

function logging(exporter: LogRecordExporter): LoggerProvider {
  return new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'rag-evals' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  })
}

/**
 * A root agent span with one chat span under it (parented explicitly: no context manager is registered); `fn` runs with
 * the chat span.
 */
function agentRun(
  tracer: Tracer,
  responseId: string,
  fn: (chat: Span) => void,
): { traceId: string; chatSpanId: string; rootSpanId: string } {
  const root = tracer.startSpan('invoke_agent rag', {
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'rag' },
  })
  const chat = tracer.startSpan(
    'chat gpt-4o-mini',
    {
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.provider.name': 'openai',
        'gen_ai.response.id': responseId,
        'gen_ai.usage.input_tokens': 120,
        'gen_ai.usage.output_tokens': 30,
      },
    },
    trace.setSpan(context.active(), root),
  )
  fn(chat)
  chat.end()
  root.end()
  return {
    traceId: chat.spanContext().traceId,
    chatSpanId: chat.spanContext().spanId,
    rootSpanId: root.spanContext().spanId,
  }
}

/** 503s the logs endpoint answered ("span not stored yet, retry"), from /metrics. */
async function overloadedAnswers(): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text()
  const line = text
    .split('\n')
    .find(
      (l) =>
        l.startsWith('sightline_requests_rejected_total{') &&
        l.includes('reason="overloaded"') &&
        l.includes('transport="http"'),
    )
  return line ? Number(line.split(' ').pop()) : 0
}

const scoresOf = async (traceId: string) =>
  (await getJson<ListScoresResponse>(server, `/api/v1/scores?traceId=${traceId}`)).body.scores

async function waitForScores(traceId: string, count: number) {
  const deadline = Date.now() + 20_000
  for (;;) {
    await server.drain()
    const scores = await scoresOf(traceId)
    if (scores.length >= count || Date.now() > deadline) return scores
    await new Promise((r) => setTimeout(r, 200))
  }
}

describe('gen_ai.evaluation.result as span events', () => {
  it("a real OTel exporter's evaluation events become otel scores on their span, once", async () => {
    const { tracer, provider, sent } = tracing()
    const run = agentRun(tracer, 'chatcmpl-ev-1', (chat) => {
      chat.addEvent('gen_ai.evaluation.result', {
        'gen_ai.evaluation.name': 'Relevance',
        'gen_ai.evaluation.score.value': 0.85,
        'gen_ai.evaluation.score.label': 'relevant',
        'gen_ai.evaluation.explanation': 'answers the question',
        'gen_ai.response.id': 'chatcmpl-ev-1',
      })
      chat.addEvent('gen_ai.evaluation.result', {
        'gen_ai.evaluation.name': 'toxicity',
        'gen_ai.evaluation.score.label': 'none',
      })
      chat.addEvent('gen_ai.evaluation.result', { 'gen_ai.evaluation.name': 'groundedness', 'error.type': 'timeout' })
    })
    await provider.forceFlush()
    const scores = await waitForScores(run.traceId, 3)
    expect(scores.map((s) => [s.name, s.spanId, s.source, s.value, s.label, s.error]).sort()).toEqual([
      ['Relevance', run.chatSpanId, 'otel', 0.85, 'relevant', ''],
      ['groundedness', run.chatSpanId, 'otel', null, '', 'timeout'],
      ['toxicity', run.chatSpanId, 'otel', 'none', '', ''],
    ])
    expect(scores.find((s) => s.name === 'Relevance')).toMatchObject({
      comment: 'answers the question',
      release: '4.2.0',
      models: ['gpt-4o-mini'],
    })
    // The same spans again (an exporter retry after a crash), and the trace resolved again: nothing new.
    const resent = await new Promise<number>((resolve) =>
      new OTLPTraceExporter({ url: `${server.url}/v1/traces`, headers: auth }).export(sent.getFinishedSpans(), (r) =>
        resolve(r.code),
      ),
    )
    expect(resent).toBe(0)
    await server.drain()
    await server.resolveStored()
    await server.drain()
    expect((await scoresOf(run.traceId)).map((s) => s.version)).toEqual(scores.map((s) => s.version))
    await provider.shutdown()
  })
})

describe('gen_ai.evaluation.result as OTLP log records', () => {
  it('HTTP protobuf: parented to the span, or found by gen_ai.response.id', async () => {
    const { tracer, provider } = tracing()
    const logs = logging(new ProtoLogExporter({ url: `${server.url}/v1/logs`, headers: auth }))
    const logger = logs.getLogger('evals')
    const run = agentRun(tracer, 'chatcmpl-log-1', () => {})
    await provider.forceFlush()
    await server.drain()
    const chatContext = trace.setSpanContext(context.active(), {
      traceId: run.traceId,
      spanId: run.chatSpanId,
      traceFlags: 1,
    })
    logger.emit({
      eventName: 'gen_ai.evaluation.result',
      context: chatContext,
      attributes: { 'gen_ai.evaluation.name': 'faithfulness', 'gen_ai.evaluation.score.value': 1 },
    })
    // No span context at all: only the response id says which answer was judged.
    logger.emit({
      eventName: 'gen_ai.evaluation.result',
      context: trace.deleteSpan(context.active()),
      attributes: {
        'gen_ai.evaluation.name': 'conciseness',
        'gen_ai.evaluation.score.value': 0.4,
        'gen_ai.response.id': 'chatcmpl-log-1',
      },
    })
    // An ordinary log record is accepted and not stored.
    logger.emit({ body: 'request handled', attributes: { 'http.status': 200 } })
    await logs.forceFlush()
    const scores = await waitForScores(run.traceId, 2)
    expect(scores.map((s) => [s.name, s.spanId, s.value, s.source]).sort()).toEqual([
      ['conciseness', run.chatSpanId, 0.4, 'otel'],
      ['faithfulness', run.chatSpanId, 1, 'otel'],
    ])
    await logs.shutdown()
    await provider.shutdown()
  })

  it('a log that arrives before its span is retried by the exporter and lands once the span is stored', async () => {
    const { provider } = tracing()
    const logs = logging(new ProtoLogExporter({ url: `${server.url}/v1/logs`, headers: auth, timeoutMillis: 20_000 }))
    // Spans are held back: the span exists only in the SDK while the log is exported.
    let release: () => void = () => {}
    const held = new Promise<void>((resolve) => (release = resolve))
    const heldProvider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'rag-app' }),
      spanProcessors: [
        {
          onStart: () => {},
          forceFlush: () => Promise.resolve(),
          shutdown: () => Promise.resolve(),
          onEnd: (span) =>
            void held.then(
              () =>
                new Promise<void>((done) =>
                  new OTLPTraceExporter({ url: `${server.url}/v1/traces`, headers: auth }).export([span], () => done()),
                ),
            ),
        },
      ],
    })
    const run = agentRun(heldProvider.getTracer('late'), 'chatcmpl-late', (chat) => {
      logs.getLogger('evals').emit({
        eventName: 'gen_ai.evaluation.result',
        context: trace.setSpan(context.active(), chat),
        attributes: { 'gen_ai.evaluation.name': 'late_judge', 'gen_ai.evaluation.score.value': 0.5 },
      })
    })
    const retriesBefore = await overloadedAnswers()
    const flushed = logs.forceFlush()
    await new Promise((r) => setTimeout(r, 1500))
    release()
    await flushed
    const scores = await waitForScores(run.traceId, 1)
    expect(scores.map((s) => [s.name, s.spanId])).toEqual([['late_judge', run.chatSpanId]])
    expect(await overloadedAnswers()).toBeGreaterThan(retriesBefore)
    await logs.shutdown()
    await provider.shutdown()
  })

  it('OTLP/gRPC LogsService: the same reader', async () => {
    const { tracer, provider } = tracing()
    const metadata = new Metadata()
    metadata.set('authorization', `Bearer ${TEST_API_KEY}`)
    const inner = new GrpcLogExporter({ url: `http://127.0.0.1:${server.grpcPort}`, metadata })
    const results: unknown[] = []
    const logs = logging({
      export: (records, done) =>
        inner.export(records, (r) => {
          results.push(r)
          done(r)
        }),
      shutdown: () => inner.shutdown(),
      forceFlush: () => inner.forceFlush(),
    })
    const run = agentRun(tracer, 'chatcmpl-grpc', () => {})
    await provider.forceFlush()
    await server.drain()
    logs.getLogger('evals').emit({
      eventName: 'gen_ai.evaluation.result',
      context: trace.setSpanContext(context.active(), {
        traceId: run.traceId,
        spanId: run.rootSpanId,
        traceFlags: 1,
      }),
      attributes: { 'gen_ai.evaluation.name': 'task_success', 'gen_ai.evaluation.score.label': 'pass' },
    })
    await logs.forceFlush()
    const scores = await waitForScores(run.traceId, 1)
    expect(results).toEqual([{ code: 0 }])
    expect(scores.map((s) => [s.name, s.spanId, s.value])).toEqual([['task_success', run.rootSpanId, 'pass']])
    await logs.shutdown()
    await provider.shutdown()
  })

  it('a result whose span never comes is refused by name after the grace period, the others kept', async () => {
    const ingest = new EvaluationLogIngest(server.deps, 0)
    const { tracer, provider } = tracing()
    const run = agentRun(tracer, 'chatcmpl-grace', () => {})
    await provider.forceFlush()
    await server.drain()
    const record = (spanId: string, name: string) => ({
      traceId: run.traceId,
      spanId,
      eventName: 'gen_ai.evaluation.result',
      attributes: [
        { key: 'gen_ai.evaluation.name', value: { stringValue: name } },
        { key: 'gen_ai.evaluation.score.value', value: { doubleValue: 1 } },
      ],
    })
    const body = {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                record(run.chatSpanId, 'kept'),
                record('0123456789abcdef', 'orphan'),
                { eventName: 'gen_ai.evaluation.result', attributes: [] },
              ],
            },
          ],
        },
      ],
    }
    const partial = await ingest.export({
      apiKey: TEST_API_KEY,
      encoding: 'json',
      readBody: async () => Buffer.from(JSON.stringify(body)),
    })
    expect(partial?.rejectedSpans).toBe(2)
    expect(partial?.errorMessage).toMatch(/no gen_ai.evaluation.name.*no span 0123456789abcdef/)
    expect((await scoresOf(run.traceId)).map((s) => s.name)).toEqual(['kept'])
    await provider.shutdown()
  })
})
