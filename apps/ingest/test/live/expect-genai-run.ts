/**
 * What a GenAI run (genai-run.ts) must look like once stored, whichever exporter carried it: every
 * span once, with its kind, model, tokens and tool, and the trace's totals. Shared by the OTLP/HTTP
 * and OTLP/gRPC exporter tests so both transports are held to the same answer.
 */
import type { GetTraceResponse } from '@sightline/schema'
import { expect } from 'vitest'
import type { GenAiRun, GenAiRunOptions } from './genai-run.js'
import { countBySpanId } from './query.js'

let runNumber = 0

/** Distinct token counts per run, so a span leaking into another trace would change its totals. */
export function genAiRunOptions(label: string): GenAiRunOptions {
  runNumber += 1
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

export function expectStoredOnce(detail: GetTraceResponse, run: GenAiRun, options: GenAiRunOptions, label: string) {
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

  expect(agent).toMatchObject({
    kind: 'agent',
    agentName: options.agentName,
    parentSpanId: '',
    serviceName: `svc-${label}`,
  })
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
