import { createHash } from 'node:crypto'

/**
 * OTLP/JSON for tests that go through the real HTTP edge: the value helpers every builder of test
 * spans uses (attributes, seeded ids, nanosecond times), and agent traces with the current OTel GenAI
 * conventions. Ids derive from `seed` so a test can predict them.
 */
export interface TraceSpec {
  seed: string
  startMs: number
  agent?: string
  model?: string
  provider?: string
  inputTokens?: number
  outputTokens?: number
  cachedInputTokens?: number
  llmCalls?: number
  tools?: Array<{ name: string; args?: object; result?: string; error?: string }>
  sessionId?: string
  userId?: string
  service?: string
  release?: string
  environment?: string
  prompt?: string
  /** Total duration of the agent span. */
  durationMs?: number
  /** The root (agent) span failed with this message: the trace's outcome is `failed`. */
  error?: string
}

export type KeyValue = { key: string; value: Record<string, unknown> }
/** An OTLP attribute: strings, booleans and integers (as `intValue`). */
export const kv = (key: string, value: string | number | boolean): KeyValue => ({
  key,
  value:
    typeof value === 'string'
      ? { stringValue: value }
      : typeof value === 'boolean'
        ? { boolValue: value }
        : { intValue: value },
})
/** A hex id of `length` characters derived from `text`: the same text always gives the same id. */
export const hexId = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length)
/** Epoch milliseconds (microsecond precision kept) as OTLP's nanosecond string. */
export const nanos = (ms: number) => (BigInt(Math.round(ms * 1000)) * 1000n).toString()

export const traceIdFor = (seed: string) => hexId(`trace:${seed}`, 32)

export function makeTraceRequest(spec: TraceSpec): object {
  const traceId = traceIdFor(spec.seed)
  const agentId = hexId(`${spec.seed}:agent`, 16)
  const duration = spec.durationMs ?? 1000
  const model = spec.model ?? 'gpt-4o'
  const llmCalls = spec.llmCalls ?? 1
  const tools = spec.tools ?? []
  const step = duration / (llmCalls + tools.length + 1)
  const spans: object[] = []
  const base = {
    traceId,
    parentSpanId: agentId,
  }
  for (let i = 0; i < llmCalls; i++) {
    const start = spec.startMs + step * i
    spans.push({
      ...base,
      spanId: hexId(`${spec.seed}:llm:${i}`, 16),
      name: `chat ${model}`,
      kind: 3,
      startTimeUnixNano: nanos(start),
      endTimeUnixNano: nanos(start + step * 0.9),
      attributes: [
        kv('gen_ai.operation.name', 'chat'),
        kv('gen_ai.provider.name', spec.provider ?? 'openai'),
        kv('gen_ai.request.model', model),
        kv('gen_ai.usage.input_tokens', spec.inputTokens ?? 100),
        kv('gen_ai.usage.output_tokens', spec.outputTokens ?? 20),
        ...(spec.cachedInputTokens ? [kv('gen_ai.usage.cache_read.input_tokens', spec.cachedInputTokens)] : []),
        ...(spec.prompt
          ? [
              kv(
                'gen_ai.input.messages',
                JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: spec.prompt }] }]),
              ),
            ]
          : []),
      ],
      status: { code: 0 },
    })
  }
  tools.forEach((tool, i) => {
    const start = spec.startMs + step * (llmCalls + i)
    spans.push({
      ...base,
      spanId: hexId(`${spec.seed}:tool:${i}`, 16),
      name: `execute_tool ${tool.name}`,
      kind: 1,
      startTimeUnixNano: nanos(start),
      endTimeUnixNano: nanos(start + step * 0.9),
      attributes: [
        kv('gen_ai.operation.name', 'execute_tool'),
        kv('gen_ai.tool.name', tool.name),
        kv('gen_ai.tool.call.id', `call_${i}`),
        kv('gen_ai.tool.call.arguments', JSON.stringify(tool.args ?? {})),
        ...(tool.result ? [kv('gen_ai.tool.call.result', tool.result)] : []),
        ...(tool.error ? [kv('error.type', 'tool_error')] : []),
      ],
      status: tool.error ? { code: 2, message: tool.error } : { code: 0 },
    })
  })
  spans.push({
    traceId,
    spanId: agentId,
    parentSpanId: '',
    name: `invoke_agent ${spec.agent ?? 'agent'}`,
    kind: 1,
    startTimeUnixNano: nanos(spec.startMs),
    endTimeUnixNano: nanos(spec.startMs + duration),
    attributes: [
      kv('gen_ai.operation.name', 'invoke_agent'),
      kv('gen_ai.agent.name', spec.agent ?? 'agent'),
      ...(spec.sessionId ? [kv('gen_ai.conversation.id', spec.sessionId), kv('session.id', spec.sessionId)] : []),
      ...(spec.userId ? [kv('user.id', spec.userId)] : []),
      ...(spec.error ? [kv('error.type', 'agent_error')] : []),
    ],
    status: spec.error ? { code: 2, message: spec.error } : { code: 0 },
  })
  const resource = [
    kv('service.name', spec.service ?? 'svc'),
    ...(spec.release ? [kv('service.version', spec.release)] : []),
    ...(spec.environment ? [kv('deployment.environment.name', spec.environment)] : []),
  ]
  return { resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ scope: { name: 'test' }, spans }] }] }
}

/** POSTs OTLP/JSON and fails loudly on a non-200 answer. */
export async function sendJson(url: string, headers: Record<string, string>, body: object): Promise<void> {
  const res = await fetch(`${url}/v1/traces`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...headers },
  })
  if (res.status !== 200) throw new Error(`OTLP answered ${res.status}: ${await res.text()}`)
}
