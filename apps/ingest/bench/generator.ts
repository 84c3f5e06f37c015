/**
 * Seeded generator of realistic agent traces in OTLP form. Same seed and options → byte-identical
 * requests, so the baseline child process can rebuild exactly the rows the server receives.
 *
 * One trace: an `invoke_agent` root, 2–4 `chat` LLM spans (gen_ai.* attributes, usage, ~1.5 KB of
 * input/output messages, so a stored row is ~2 KB) and text-free `execute_tool` spans between them.
 * One request is one exporter batch: one resource (service), one scope, whole traces, ~N spans.
 */
import zlib from 'node:zlib'
import { ExportTraceServiceRequest } from '../src/otlp/otlp-proto.js'

/**
 * Its state is a counter stepping by a constant, so one seed's stream is one cycle of 2³² values and
 * any two seeds' streams are the same cycle from different places: `skip` starts `skip` values later
 * (a continuation of the stream rather than an overlap, see GenOptions.skipDraws).
 */
export function mulberry32(seed: number, skip = 0): () => number {
  let a = (seed + Math.imul(skip >>> 0, 0x6d2b79f5)) >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface GenOptions {
  seed: number
  /** Stop after at least this many spans (whole traces). */
  spans: number
  spansPerRequest: number
  /** Span start times advance linearly through [windowStartMs, windowEndMs] as spans are generated. */
  windowStartMs: number
  windowEndMs: number
  /**
   * Random values of the seed's stream to skip: a load that follows another of the same seed starts where
   * it ended (GeneratedRequest.draws), so its ids are new. Another seed would not do: at ~134 values a span,
   * 10M spans walk a third of the 2³²-value cycle every seed shares, and a second seed soon meets the first.
   */
  skipDraws?: number
}

type AnyValue =
  | { stringValue: string }
  | { intValue: number }
  | { doubleValue: number }
  | { boolValue: boolean }
  | { arrayValue: { values: AnyValue[] } }
interface KeyValue {
  key: string
  value: AnyValue
}
export interface OtlpSpan {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  kind: number
  startTimeUnixNano: string
  endTimeUnixNano: string
  attributes: KeyValue[]
  status: { code: number; message?: string }
  flags: number
}
export interface OtlpRequest {
  resourceSpans: Array<{
    resource: { attributes: KeyValue[] }
    scopeSpans: Array<{ scope: { name: string; version: string }; spans: OtlpSpan[] }>
  }>
}
export interface GeneratedRequest {
  request: OtlpRequest
  spanCount: number
  /** Trace ids in this request with their span counts (every trace is whole within one request). */
  traces: Array<{ traceId: string; spans: number }>
  /** The stream's position after this request (skipDraws included). */
  draws: number
}

export const AGENTS = [
  'support-agent',
  'research-agent',
  'billing-agent',
  'triage-agent',
  'code-review-agent',
  'travel-planner',
  'sql-analyst',
  'onboarding-agent',
]
export const MODELS = [
  { provider: 'openai', model: 'gpt-4o', response: 'gpt-4o-2024-08-06', weight: 4 },
  { provider: 'openai', model: 'gpt-4o-mini', response: 'gpt-4o-mini-2024-07-18', weight: 3 },
  { provider: 'anthropic', model: 'claude-sonnet-4', response: 'claude-sonnet-4-20250514', weight: 3 },
  { provider: 'anthropic', model: 'claude-3-5-haiku', response: 'claude-3-5-haiku-20241022', weight: 1 },
  { provider: 'openai', model: 'o3-mini', response: 'o3-mini-2025-01-31', weight: 1 },
] as const
const TOOLS = [
  'search_docs',
  'get_order',
  'lookup_customer',
  'run_sql',
  'fetch_url',
  'create_ticket',
  'get_weather',
  'send_email',
  'calculator',
  'read_file',
]
const SERVICES = ['support-bot', 'research-svc', 'ops-copilot']
const WORDS = (
  'the a to of and in for on with is that order refund customer account invoice shipping delivery please could ' +
  'you help me check status my last payment was charged twice package tracking number return policy days ' +
  'warranty replace broken item product subscription cancel plan upgrade premium annual monthly billing address ' +
  'update email password reset login error message screen app version android ios browser cache cleared still ' +
  'not working since yesterday morning urgent thanks again report summary quarterly revenue growth region europe ' +
  'north america sales pipeline forecast table query result rows columns join filter date range last week ' +
  'compare previous period percentage change chart export csv flight hotel booking itinerary paris tokyo ' +
  'budget cheaper option review pull request function variable null pointer exception test coverage merge'
).split(' ')
/** Rare tokens for the text-search query: about one chat span in 250 mentions it. */
export const RARE_WORD = 'zephyrine'
const SYSTEM_PROMPTS = Array.from(
  { length: 8 },
  (_, i) =>
    `You are ${AGENTS[i]}, a careful assistant for ACME Corp. Follow the company policy: never reveal internal ` +
    `identifiers, always confirm destructive actions, cite the tool results you used, answer in the user's language, ` +
    `keep answers under 200 words unless asked for detail, and escalate to a human when the customer is upset or the ` +
    `request involves legal, medical or financial advice. Available tools are described in the tool schema.`,
)

export function* generateRequests(opts: GenOptions): Generator<GeneratedRequest> {
  const next = mulberry32(opts.seed, opts.skipDraws)
  let draws = opts.skipDraws ?? 0
  const rng = () => {
    draws += 1
    return next()
  }
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng() * items.length)]!
  const between = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1))
  const u32hex = () =>
    Math.floor(rng() * 4294967296)
      .toString(16)
      .padStart(8, '0')
  const spanId = () => u32hex() + u32hex()
  const traceId = () => u32hex() + u32hex() + u32hex() + u32hex()
  const modelWeights = MODELS.flatMap((m) => Array.from({ length: m.weight }, () => m))
  const sentence = (words: number) => {
    const out: string[] = []
    for (let i = 0; i < words; i++) out.push(rng() < 0.00003 ? RARE_WORD : pick(WORDS))
    return out.join(' ')
  }
  const nanos = (ms: number) => (BigInt(Math.floor(ms)) * 1_000_000n + BigInt(Math.floor((ms % 1) * 1e6))).toString()
  const str = (key: string, v: string): KeyValue => ({ key, value: { stringValue: v } })
  const int = (key: string, v: number): KeyValue => ({ key, value: { intValue: v } })

  let generated = 0
  const windowMs = opts.windowEndMs - opts.windowStartMs
  while (generated < opts.spans) {
    const service = pick(SERVICES)
    const spans: OtlpSpan[] = []
    const traces: GeneratedRequest['traces'] = []
    while (spans.length < opts.spansPerRequest && generated + spans.length < opts.spans) {
      const tid = traceId()
      const agentIndex = between(0, AGENTS.length - 1)
      const agent = AGENTS[agentIndex]!
      const model = pick(modelWeights)
      const sessionId = `sess-${u32hex()}`
      const userId = `user-${between(1, 5000)}`
      let t = opts.windowStartMs + (windowMs * (generated + spans.length)) / opts.spans
      const rootStart = t
      const rootId = spanId()
      const children: OtlpSpan[] = []
      const chats = between(2, 4)
      let failed = false
      for (let c = 0; c < chats; c++) {
        t += between(5, 40)
        const duration = between(400, 6000) + rng()
        const inputTokens = between(300, 4000)
        const outputTokens = between(20, 800)
        const userText = sentence(between(50, 90))
        const answer = sentence(between(30, 60))
        const inputMessages = JSON.stringify([
          { role: 'system', parts: [{ type: 'text', content: SYSTEM_PROMPTS[agentIndex] }] },
          { role: 'user', parts: [{ type: 'text', content: userText }] },
          ...(c > 0
            ? [
                {
                  role: 'tool',
                  parts: [{ type: 'tool_call_response', id: `call_${u32hex()}`, response: sentence(between(10, 25)) }],
                },
              ]
            : []),
        ])
        const last = c === chats - 1
        const outputMessages = JSON.stringify([
          last
            ? { role: 'assistant', parts: [{ type: 'text', content: answer }], finish_reason: 'stop' }
            : {
                role: 'assistant',
                parts: [
                  {
                    type: 'tool_call',
                    id: `call_${u32hex()}`,
                    name: pick(TOOLS),
                    arguments: { query: sentence(between(3, 8)) },
                  },
                ],
                finish_reason: 'tool_call',
              },
        ])
        const attributes: KeyValue[] = [
          str('gen_ai.operation.name', 'chat'),
          str('gen_ai.provider.name', model.provider),
          str('gen_ai.request.model', model.model),
          str('gen_ai.response.model', model.response),
          str('gen_ai.response.id', `resp_${u32hex()}${u32hex()}`),
          { key: 'gen_ai.request.temperature', value: { doubleValue: 0.2 } },
          int('gen_ai.request.max_tokens', 1024),
          int('gen_ai.usage.input_tokens', inputTokens),
          int('gen_ai.usage.output_tokens', outputTokens),
          {
            key: 'gen_ai.response.finish_reasons',
            value: { arrayValue: { values: [{ stringValue: last ? 'stop' : 'tool_calls' }] } },
          },
          str('gen_ai.input.messages', inputMessages),
          str('gen_ai.output.messages', outputMessages),
        ]
        if (rng() < 0.3) attributes.push(int('gen_ai.usage.cache_read.input_tokens', Math.floor(inputTokens * 0.6)))
        children.push({
          traceId: tid,
          spanId: spanId(),
          parentSpanId: rootId,
          name: `chat ${model.model}`,
          kind: 3,
          startTimeUnixNano: nanos(t),
          endTimeUnixNano: nanos(t + duration),
          attributes,
          status: { code: 0 },
          flags: 257,
        })
        t += duration
        if (last) break
        const tools = rng() < 0.2 ? 2 : 1
        for (let k = 0; k < tools; k++) {
          const tool = pick(TOOLS)
          const toolDuration = between(5, 900) + rng()
          const error = rng() < 0.04
          failed ||= error
          children.push({
            traceId: tid,
            spanId: spanId(),
            parentSpanId: rootId,
            name: `execute_tool ${tool}`,
            kind: 1,
            startTimeUnixNano: nanos(t + 1),
            endTimeUnixNano: nanos(t + 1 + toolDuration),
            attributes: [
              str('gen_ai.operation.name', 'execute_tool'),
              str('gen_ai.tool.name', tool),
              str('gen_ai.tool.type', 'function'),
              str('gen_ai.tool.call.id', `call_${u32hex()}`),
              ...(error ? [str('error.type', 'timeout')] : []),
            ],
            status: error ? { code: 2, message: `${tool} timed out after 30s` } : { code: 0 },
            flags: 257,
          })
          t += toolDuration + 2
        }
      }
      const root: OtlpSpan = {
        traceId: tid,
        spanId: rootId,
        name: `invoke_agent ${agent}`,
        kind: 1,
        startTimeUnixNano: nanos(rootStart),
        endTimeUnixNano: nanos(t + 3),
        attributes: [
          str('gen_ai.operation.name', 'invoke_agent'),
          str('gen_ai.agent.name', agent),
          str('gen_ai.agent.id', `agent-${agentIndex}`),
          str('session.id', sessionId),
          str('user.id', userId),
        ],
        status: failed && rng() < 0.5 ? { code: 2, message: 'tool call failed' } : { code: 0 },
        flags: 257,
      }
      // Exporters send spans as they end: children first, the root last.
      spans.push(...children, root)
      traces.push({ traceId: tid, spans: children.length + 1 })
    }
    generated += spans.length
    // Past one cycle the stream repeats itself, and with it trace and span ids.
    if (draws >= 2 ** 32) throw new Error(`seed ${opts.seed}: more spans than one random stream holds`)
    yield {
      draws,
      request: {
        resourceSpans: [
          {
            resource: {
              attributes: [
                str('service.name', service),
                str('service.version', '1.4.2'),
                str('deployment.environment.name', 'production'),
                str('telemetry.sdk.language', 'nodejs'),
                str('telemetry.sdk.name', 'opentelemetry'),
                str('telemetry.sdk.version', '2.12.1'),
              ],
            },
            scopeSpans: [{ scope: { name: '@acme/agents', version: '0.9.0' }, spans }],
          },
        ],
      },
      spanCount: spans.length,
      traces,
    }
  }
}

/** OTLP/protobuf: ids are raw bytes. */
export function encodeProtobuf(request: OtlpRequest): Buffer {
  const withBytes = {
    resourceSpans: request.resourceSpans.map((rs) => ({
      ...rs,
      scopeSpans: rs.scopeSpans.map((ss) => ({
        ...ss,
        spans: ss.spans.map((s) => ({
          ...s,
          traceId: Buffer.from(s.traceId, 'hex'),
          spanId: Buffer.from(s.spanId, 'hex'),
          parentSpanId: s.parentSpanId ? Buffer.from(s.parentSpanId, 'hex') : undefined,
        })),
      })),
    })),
  }
  const message = ExportTraceServiceRequest.fromObject(withBytes)
  return Buffer.from(ExportTraceServiceRequest.encode(message).finish())
}

/** OTLP/JSON (hex ids), gzip-compressed at zlib's default level as OTel exporters do. */
export function encodeJsonGzip(request: OtlpRequest): Buffer {
  return zlib.gzipSync(JSON.stringify(request))
}

export type Encoding = 'protobuf' | 'json-gzip'

export interface Pool {
  bodies: Buffer[]
  spanCounts: number[]
  spans: number
  traces: Array<{ traceId: string; spans: number }>
  bytes: number
}

/** Generates and encodes a whole pool up front (before any timing starts). */
export function buildPool(
  opts: GenOptions,
  encodings: readonly Encoding[],
  keepTraces = false,
): Record<Encoding, Pool> {
  const pools = {} as Record<Encoding, Pool>
  for (const e of encodings) pools[e] = { bodies: [], spanCounts: [], spans: 0, traces: [], bytes: 0 }
  for (const generated of generateRequests(opts)) {
    for (const e of encodings) {
      const body = e === 'protobuf' ? encodeProtobuf(generated.request) : encodeJsonGzip(generated.request)
      const pool = pools[e]
      pool.bodies.push(body)
      pool.spanCounts.push(generated.spanCount)
      pool.spans += generated.spanCount
      pool.bytes += body.length
      if (keepTraces) pool.traces.push(...generated.traces)
    }
  }
  return pools
}
