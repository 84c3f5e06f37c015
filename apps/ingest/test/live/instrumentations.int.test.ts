/**
 * Real instrumentation libraries, not hand-written spans: the Vercel AI SDK's built-in telemetry
 * and OpenInference's LangChain instrumentation, each driving a scripted model through a tool-call
 * loop, exported by the real OTLP/HTTP protobuf exporter into the real server. The scripted models
 * make the token numbers known, so the trace totals can be checked exactly (and not doubled by the
 * aggregate spans both libraries emit).
 */
import { AIMessage, HumanMessage, ToolMessage, type BaseMessage } from '@langchain/core/messages'
import * as CallbackManagerModule from '@langchain/core/callbacks/manager'
import { BaseChatModel } from '@langchain/core/language_models/chat_models'
import type { ChatResult } from '@langchain/core/outputs'
import { RunnableLambda, type RunnableConfig } from '@langchain/core/runnables'
import { tool as lcTool } from '@langchain/core/tools'
import { LangChainInstrumentation } from '@arizeai/openinference-instrumentation-langchain'
import { ExportResultCode } from '@opentelemetry/core'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { generateText, stepCountIs, tool } from 'ai'
import { MockLanguageModelV3 } from 'ai/test'
import { createExporter, RecordingExporter } from './pipeline.js'
import { countBySpanId, listTraces, spanNamed, waitForTrace } from './query.js'

let server: TestServer
let provider: NodeTracerProvider
let exporter: RecordingExporter
let langchain: LangChainInstrumentation

beforeAll(async () => {
  server = await startTestServer()
  exporter = new RecordingExporter(createExporter({ baseUrl: server.url, protocol: 'protobuf', gzip: true }))
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'instrumented-app', 'service.version': '1.2.3' }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 60_000 })],
  })
  // Registers the AsyncLocalStorage context manager too: both libraries nest spans through it.
  provider.register()
  langchain = new LangChainInstrumentation({ tracerProvider: provider })
  langchain.manuallyInstrument(CallbackManagerModule)
})
afterAll(async () => {
  langchain?.disable()
  await provider?.shutdown()
  await server?.stop()
})

/** Flushes the SDK and returns the export results of this flush; every one must be SUCCESS. */
async function flush() {
  const before = exporter.results.length
  await provider.forceFlush()
  return exporter.results.slice(before).map((r) => r.code)
}

/** The one trace containing `spanId`, found through the list API (neither library hands out trace ids). */
async function traceIdOfNewest(serviceTraceIdsBefore: Set<string>): Promise<string> {
  await server.drain()
  const fresh = (await listTraces(server)).traces.filter((t) => !serviceTraceIdsBefore.has(t.traceId))
  expect(fresh.map((t) => t.name)).toHaveLength(1)
  return fresh[0]!.traceId
}

async function knownTraceIds(): Promise<Set<string>> {
  await server.drain()
  return new Set((await listTraces(server)).traces.map((t) => t.traceId))
}

describe('Vercel AI SDK 6 telemetry', () => {
  const usage = (input: number, cacheRead: number, output: number, reasoning: number) => ({
    inputTokens: { total: input, noCache: input - cacheRead, cacheRead, cacheWrite: 0 },
    outputTokens: { total: output, text: output - reasoning, reasoning },
  })

  it('stores generateText with a tool loop as one trace with per-call tokens counted once', async () => {
    const before = await knownTraceIds()
    const model = new MockLanguageModelV3({
      provider: 'openai.chat',
      modelId: 'gpt-4o-mini',
      doGenerate: [
        {
          content: [
            {
              type: 'tool-call',
              toolCallId: 'call-weather-1',
              toolName: 'getWeather',
              input: JSON.stringify({ city: 'Paris' }),
            },
          ],
          finishReason: { unified: 'tool-calls', raw: 'tool_calls' },
          usage: usage(100, 40, 30, 20),
          warnings: [],
        },
        {
          content: [{ type: 'text', text: 'It is 21°C and sunny in Paris.' }],
          finishReason: { unified: 'stop', raw: 'stop' },
          usage: usage(150, 50, 25, 5),
          warnings: [],
        },
      ],
    })
    const result = await generateText({
      model,
      prompt: 'What is the weather in Paris?',
      tools: {
        getWeather: tool({
          description: 'Current weather for a city',
          inputSchema: z.object({ city: z.string() }),
          execute: async ({ city }) => ({ city, temperature: 21, conditions: 'sunny' }),
        }),
      },
      stopWhen: stepCountIs(3),
      experimental_telemetry: {
        isEnabled: true,
        functionId: 'weather-agent',
        metadata: { sessionId: 'sess-1', userId: 'user-1' },
      },
    })
    expect(result.text).toBe('It is 21°C and sunny in Paris.')
    expect(model.doGenerateCalls).toHaveLength(2)
    expect(await flush()).toEqual([ExportResultCode.SUCCESS])

    const traceId = await traceIdOfNewest(before)
    const { trace, spans } = await waitForTrace(server, traceId, 4)
    expect([...countBySpanId(spans).values()].every((n) => n === 1)).toBe(true)
    expect(spans.map((s) => s.name).sort()).toEqual(
      ['ai.generateText', 'ai.generateText.doGenerate', 'ai.generateText.doGenerate', 'ai.toolCall'].sort(),
    )

    const root = spanNamed(spans, 'ai.generateText')
    expect(root).toMatchObject({ kind: 'agent', agentName: 'weather-agent', parentSpanId: '', isLlmCall: false })
    // The root repeats the sums of its steps in ai.usage.*: it keeps them, and is resolved as an aggregate, not a call.
    expect(root).toMatchObject({ llmRole: 'aggregate', inputTokens: 250, outputTokens: 55 })
    expect(root).toMatchObject({ sessionId: 'sess-1', userId: 'user-1' })

    const calls = spans
      .filter((s) => s.name === 'ai.generateText.doGenerate')
      .sort((a, b) => a.startTime.localeCompare(b.startTime))
    expect(calls.map((s) => [s.kind, s.isLlmCall, s.model, s.provider, s.parentSpanId])).toEqual([
      ['llm', true, 'gpt-4o-mini', 'openai', root.spanId],
      ['llm', true, 'gpt-4o-mini', 'openai', root.spanId],
    ])
    expect(calls.map((s) => [s.inputTokens, s.cachedInputTokens, s.outputTokens, s.reasoningTokens])).toEqual([
      [100, 40, 30, 20],
      [150, 50, 25, 5],
    ])

    const toolSpan = spanNamed(spans, 'ai.toolCall')
    expect(toolSpan).toMatchObject({
      kind: 'tool',
      toolName: 'getWeather',
      toolCallId: 'call-weather-1',
      parentSpanId: root.spanId,
    })
    expect(JSON.parse(toolSpan.toolArguments)).toEqual({ city: 'Paris' })
    expect(JSON.parse(toolSpan.toolResult)).toEqual({ city: 'Paris', temperature: 21, conditions: 'sunny' })

    expect(trace).toMatchObject({
      name: 'weather-agent',
      outcome: 'ok',
      serviceNames: ['instrumented-app'],
      releases: ['1.2.3'],
      agents: ['weather-agent'],
      models: ['gpt-4o-mini'],
      sessionId: 'sess-1',
      userId: 'user-1',
      spanCount: 4,
      llmCallCount: calls.length,
      toolCallCount: 1,
      inputTokens: 250,
      outputTokens: 55,
      cachedInputTokens: 90,
      reasoningTokens: 25,
      unpricedLlmCalls: 0,
    })
    expect(trace.costUsd).toBeGreaterThan(0)
  })
})

/** A chat model that plays back a fixed list of replies; the messages carry usage_metadata like real providers. */
class ScriptedChatModel extends BaseChatModel {
  private calls = 0
  constructor(private readonly script: AIMessage[]) {
    super({})
  }
  _llmType(): string {
    return 'scripted'
  }
  override invocationParams(): Record<string, unknown> {
    return { model: 'gpt-4o-mini', temperature: 0 }
  }
  async _generate(_messages: BaseMessage[]): Promise<ChatResult> {
    const message = this.script[this.calls++]
    if (!message) throw new Error('script exhausted')
    return { generations: [{ text: typeof message.content === 'string' ? message.content : '', message }] }
  }
}

describe('OpenInference LangChain instrumentation', () => {
  it('stores a LangChain tool loop with llm and tool spans and tokens counted once', async () => {
    const before = await knownTraceIds()
    const model = new ScriptedChatModel([
      new AIMessage({
        content: '',
        tool_calls: [{ id: 'lc-call-1', name: 'get_weather', args: { city: 'Oslo' }, type: 'tool_call' }],
        usage_metadata: {
          input_tokens: 80,
          output_tokens: 12,
          total_tokens: 92,
          input_token_details: { cache_read: 30 },
          output_token_details: { reasoning: 4 },
        },
      }),
      new AIMessage({
        content: 'Oslo is 3°C and snowing.',
        usage_metadata: { input_tokens: 120, output_tokens: 9, total_tokens: 129 },
      }),
    ])
    const getWeather = lcTool(
      async ({ city }: { city: string }) => JSON.stringify({ city, temperature: 3, conditions: 'snow' }),
      {
        name: 'get_weather',
        description: 'Current weather for a city',
        schema: z.object({ city: z.string() }),
      },
    )
    const agent = RunnableLambda.from(async (question: string, config?: RunnableConfig) => {
      const messages: BaseMessage[] = [new HumanMessage(question)]
      for (let step = 0; step < 3; step++) {
        const reply = await model.invoke(messages, config)
        messages.push(reply)
        if (!reply.tool_calls?.length) return reply.content
        for (const call of reply.tool_calls) {
          // Invoked with the whole tool call, as LangChain's ToolNode does: the answer is a ToolMessage.
          const toolMessage: unknown = await getWeather.invoke({ ...call, type: 'tool_call' }, config)
          if (!(toolMessage instanceof ToolMessage)) throw new Error('expected a ToolMessage')
          messages.push(toolMessage)
        }
      }
      throw new Error('agent did not finish')
    }).withConfig({ runName: 'weather_agent' })

    const answer = await agent.invoke('Weather in Oslo?', { metadata: { session_id: 'lc-sess', user_id: 'lc-user' } })
    expect(answer).toBe('Oslo is 3°C and snowing.')
    expect(await flush()).toEqual([ExportResultCode.SUCCESS])

    const traceId = await traceIdOfNewest(before)
    const { trace, spans } = await waitForTrace(server, traceId, 4)
    expect([...countBySpanId(spans).values()].every((n) => n === 1)).toBe(true)

    const root = spanNamed(spans, 'weather_agent')
    expect(root).toMatchObject({ kind: 'chain', parentSpanId: '', inputTokens: 0, outputTokens: 0 })

    const llm = spans.filter((s) => s.kind === 'llm').sort((a, b) => a.startTime.localeCompare(b.startTime))
    expect(llm.map((s) => [s.isLlmCall, s.model, s.parentSpanId])).toEqual([
      [true, 'gpt-4o-mini', root.spanId],
      [true, 'gpt-4o-mini', root.spanId],
    ])
    expect(llm.map((s) => [s.inputTokens, s.cachedInputTokens, s.outputTokens, s.reasoningTokens])).toEqual([
      [80, 30, 12, 4],
      [120, 0, 9, 0],
    ])

    const tools = spans.filter((s) => s.kind === 'tool')
    expect(tools).toHaveLength(1)
    expect(tools[0]).toMatchObject({
      name: 'get_weather',
      toolName: 'get_weather',
      parentSpanId: root.spanId,
      inputTokens: 0,
    })
    expect(tools[0]!.toolArguments).toContain('Oslo')
    expect(tools[0]!.toolResult).toContain('snow')

    expect(trace).toMatchObject({
      name: 'weather_agent',
      outcome: 'ok',
      sessionId: 'lc-sess',
      userId: 'lc-user',
      models: ['gpt-4o-mini'],
      spanCount: spans.length,
      llmCallCount: 2,
      toolCallCount: 1,
      inputTokens: 200,
      outputTokens: 21,
      cachedInputTokens: 30,
      reasoningTokens: 4,
    })
  })
})
