/** A span-facts factory for resolver tests: every field defaulted, overrides spread on top. */
import type { SpanFacts } from '../src/trace/span-facts.js'

let counter = 0

export function facts(overrides: Partial<SpanFacts> & { spanId?: string }): SpanFacts {
  counter += 1
  const startMs = overrides.startMs ?? counter * 10
  return {
    spanId: overrides.spanId ?? `s${counter}`,
    parentSpanId: '',
    name: 'span',
    kind: 'span',
    startMs,
    endMs: overrides.endMs ?? startMs + 5,
    durationMs: overrides.durationMs ?? (overrides.endMs ?? startMs + 5) - startMs,
    status: 'ok',
    statusMessage: '',
    errorType: '',
    serviceName: 'svc',
    serviceVersion: '1.0.0',
    environment: 'prod',
    agentName: '',
    model: '',
    isLlmCall: false,
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costUsd: null,
    costSource: '',
    isUnpriced: false,
    toolName: '',
    toolCallId: '',
    toolArgsKey: '',
    sessionId: '',
    userId: '',
    flags: [],
    inputPreview: '',
    outputPreview: '',
    reportedToolErrors: [],
    ...overrides,
  }
}

export const llm = (o: Partial<SpanFacts>): SpanFacts =>
  facts({
    kind: 'llm',
    name: `chat ${o.model ?? 'gpt-4o'}`,
    model: 'gpt-4o',
    isLlmCall: true,
    inputTokens: 100,
    outputTokens: 10,
    costUsd: 0.001,
    costSource: 'genai-prices',
    ...o,
  })

export const tool = (o: Partial<SpanFacts>): SpanFacts =>
  facts({ kind: 'tool', name: `execute_tool ${o.toolName ?? 'search'}`, toolName: 'search', ...o })

export const agent = (name: string, o: Partial<SpanFacts> = {}): SpanFacts =>
  facts({ kind: 'agent', name: `invoke_agent ${name}`, agentName: name, ...o })
