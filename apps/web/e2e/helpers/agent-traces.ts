/**
 * OTLP/JSON bodies for realistic multi-agent traces (GenAI semantic conventions), for the console's
 * e2e tests and benchmark. Ids derive from the seed, so tests can predict them. Covers: a planner
 * running a sub-agent in-process and handing work to another over A2A (client and server ends traced,
 * in two services: one delegation), an MCP tool call traced on both ends (one tool call), a failing
 * tool with an exception event followed by a retry (recovered), optionally a failing sub-agent (the
 * trace fails), messages on model calls and agent spans, and a huge trace generator for 10k–100k
 * spans sent in batches.
 */
import { hexId, type KeyValue, kv, nanos, traceIdFor } from '@sightline/testkit/otlp-json'

type OtlpSpan = Record<string, unknown>

const OTLP_KIND = { internal: 1, server: 2, client: 3 } as const
const msgs = (role: string, text: string) => JSON.stringify([{ role, parts: [{ type: 'text', content: text }] }])

interface SpanSpec {
  id: string
  parent: string
  name: string
  startMs: number
  endMs: number
  attrs: KeyValue[]
  error?: { message: string; stack?: string }
  /** OTLP span kind (default internal); MCP and A2A ends are client / server. */
  otelKind?: number
}

function toOtlp(traceId: string, s: SpanSpec): OtlpSpan {
  return {
    traceId,
    spanId: s.id,
    parentSpanId: s.parent,
    name: s.name,
    kind: s.otelKind ?? OTLP_KIND.internal,
    startTimeUnixNano: nanos(s.startMs),
    endTimeUnixNano: nanos(s.endMs),
    attributes: s.attrs,
    events: s.error
      ? [
          {
            timeUnixNano: nanos(s.endMs),
            name: 'exception',
            attributes: [
              kv('exception.type', 'ToolError'),
              kv('exception.message', s.error.message),
              kv(
                'exception.stacktrace',
                s.error.stack ?? `ToolError: ${s.error.message}\n    at callTool (tools.ts:42:11)`,
              ),
            ],
          },
        ]
      : [],
    status: s.error ? { code: 2, message: s.error.message } : { code: 1 },
  }
}

function request(service: string, traceId: string, spans: SpanSpec[], extraResource: KeyValue[] = []): object {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            kv('service.name', service),
            kv('service.version', '1.4.2'),
            kv('deployment.environment.name', 'staging'),
            ...extraResource,
          ],
        },
        scopeSpans: [{ scope: { name: 'e2e' }, spans: spans.map((s) => toOtlp(traceId, s)) }],
      },
    ],
  }
}

const llm = (
  seed: string,
  key: string,
  parent: string,
  startMs: number,
  durMs: number,
  model: string,
  input: string,
  output: string,
): SpanSpec => ({
  id: hexId(`${seed}:${key}`, 16),
  parent,
  name: `chat ${model}`,
  startMs,
  endMs: startMs + durMs,
  attrs: [
    kv('gen_ai.operation.name', 'chat'),
    kv('gen_ai.provider.name', 'openai'),
    kv('gen_ai.request.model', model),
    kv('gen_ai.usage.input_tokens', 420),
    kv('gen_ai.usage.output_tokens', 64),
    kv('gen_ai.usage.cache_read.input_tokens', 128),
    kv('gen_ai.usage.reasoning.output_tokens', 16),
    kv('gen_ai.input.messages', input),
    kv('gen_ai.output.messages', output),
  ],
})

const tool = (
  seed: string,
  key: string,
  parent: string,
  startMs: number,
  durMs: number,
  name: string,
  args: object,
  result: string,
  error?: string,
): SpanSpec => ({
  id: hexId(`${seed}:${key}`, 16),
  parent,
  name: `execute_tool ${name}`,
  startMs,
  endMs: startMs + durMs,
  attrs: [
    kv('gen_ai.operation.name', 'execute_tool'),
    kv('gen_ai.tool.name', name),
    kv('gen_ai.tool.call.id', `call_${key}`),
    kv('gen_ai.tool.call.arguments', JSON.stringify(args)),
    ...(error ? [kv('error.type', 'ToolError')] : [kv('gen_ai.tool.call.result', result)]),
  ],
  error: error ? { message: error } : undefined,
})

const agent = (
  seed: string,
  key: string,
  parent: string,
  startMs: number,
  endMs: number,
  name: string,
  extra: KeyValue[] = [],
): SpanSpec => ({
  id: hexId(`${seed}:${key}`, 16),
  parent,
  name: `invoke_agent ${name}`,
  startMs,
  endMs,
  attrs: [kv('gen_ai.operation.name', 'invoke_agent'), kv('gen_ai.agent.name', name), ...extra],
})

export interface MultiAgentOptions {
  seed: string
  startMs: number
  /** b changes the search query and adds a tool call, for the compare view. */
  variant?: 'a' | 'b'
  /**
   * `recovered`: the search tool fails once and the retry succeeds; `failed`: that, and the coder's
   * code run fails, so the coder (and the hand-off to it) fails and so does the trace.
   */
  failure?: 'recovered' | 'failed'
  sessionId?: string
  question?: string
}

/**
 * planner → researcher (in-process) → web_search (fails, retried) ; planner → A2A hand-off → coder
 * (service "coder-svc", the A2A server end) → run_code + MCP tools/call (client end; the server end
 * in "mcp-tools-svc") ; planner answers.
 */
export function makeMultiAgentTrace(o: MultiAgentOptions): object[] {
  const t = o.startMs
  const traceId = traceIdFor(o.seed)
  const q = o.question ?? 'Compare Q3 revenue of ACME and Globex'
  const answer = 'ACME grew 12% while Globex grew 7% in Q3.'
  const root = agent(o.seed, 'root', '', t, t + 5200, 'planner', [
    kv('gen_ai.input.messages', msgs('user', q)),
    kv('gen_ai.output.messages', msgs('assistant', answer)),
    ...(o.sessionId
      ? [kv('session.id', o.sessionId), kv('gen_ai.conversation.id', o.sessionId), kv('user.id', 'user-7')]
      : []),
  ])
  const plan = llm(
    o.seed,
    'plan',
    root.id,
    t + 20,
    600,
    'gpt-4o',
    JSON.stringify([
      { role: 'system', content: 'You are a planner.' },
      { role: 'user', content: q },
    ]),
    JSON.stringify([
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', name: 'delegate', id: 'd1', arguments: { agent: 'researcher' } }],
      },
    ]),
  )
  const researcher = agent(o.seed, 'researcher', root.id, t + 650, t + 2900, 'researcher')
  const query = o.variant === 'b' ? { q: 'Globex Q3 2026 revenue', region: 'us' } : { q: 'ACME Q3 2026 revenue' }
  const rsLlm = llm(
    o.seed,
    'r-llm',
    researcher.id,
    t + 660,
    400,
    'gpt-4o-mini',
    msgs('user', 'Find revenue figures'),
    JSON.stringify([
      { role: 'assistant', parts: [{ type: 'tool_call', name: 'web_search', id: 'c1', arguments: query }] },
    ]),
  )
  const spans: SpanSpec[] = [root, plan, researcher, rsLlm]
  let cursor = t + 1080
  if (o.failure) {
    spans.push(
      tool(
        o.seed,
        'search-fail',
        researcher.id,
        cursor,
        300,
        'web_search',
        query,
        '',
        'upstream timeout after 300ms (HTTP 504)',
      ),
    )
    cursor += 320
  }
  spans.push(
    tool(
      o.seed,
      'search',
      researcher.id,
      cursor,
      500,
      'web_search',
      query,
      JSON.stringify({ results: [{ title: 'ACME Q3', revenue: '1.2B', growth: 0.12 }] }),
    ),
  )
  cursor += 520
  if (o.variant === 'b') {
    spans.push(
      tool(
        o.seed,
        'fetch',
        researcher.id,
        cursor,
        250,
        'fetch_page',
        { url: 'https://example.com/globex-q3' },
        '<html>…</html>',
      ),
    )
    cursor += 270
  }
  const coderStart = Math.max(cursor, t + 2950)
  const coderFails = o.failure === 'failed'
  const a2a = [kv('a2a.method', 'message/send'), kv('a2a.agent.name', 'coder')]
  const handoff: SpanSpec = {
    id: hexId(`${o.seed}:handoff`, 16),
    parent: root.id,
    name: 'a2a message/send coder',
    startMs: coderStart - 5,
    endMs: coderStart + 1505,
    attrs: a2a,
    otelKind: OTLP_KIND.client,
    error: coderFails ? { message: 'coder answered with a failed task' } : undefined,
  }
  const coder = {
    ...agent(o.seed, 'coder', handoff.id, coderStart, coderStart + 1500, 'coder', a2a),
    otelKind: OTLP_KIND.server,
  }
  if (coderFails) coder.error = { message: 'run_code failed' }
  spans.push(handoff, coder)
  spans.push(
    llm(
      o.seed,
      'c-llm',
      coder.id,
      coderStart + 10,
      450,
      'claude-sonnet-4',
      msgs('user', 'Compute growth'),
      msgs('assistant', 'Running the numbers.'),
    ),
  )
  spans.push(
    coderFails
      ? tool(
          o.seed,
          'code',
          coder.id,
          coderStart + 480,
          400,
          'run_code',
          { code: 'print(1.2/0)' },
          '',
          'ZeroDivisionError: division by zero',
        )
      : tool(
          o.seed,
          'code',
          coder.id,
          coderStart + 480,
          400,
          'run_code',
          { code: 'print(1.2/1.07)' },
          '{"stdout":"1.1214"}',
        ),
  )
  const mcpAttrs = (s: SpanSpec) => [
    ...s.attrs.filter((a) => a.key !== 'gen_ai.operation.name'),
    kv('mcp.method.name', 'tools/call'),
  ]
  const mcp: SpanSpec = {
    ...tool(o.seed, 'mcp', coder.id, coderStart + 900, 300, 'read_file', { path: '/data/q3.csv' }, 'revenue,1.2B'),
    name: 'tools/call read_file',
    otelKind: OTLP_KIND.client,
  }
  mcp.attrs = mcpAttrs(mcp)
  const mcpServer: SpanSpec = {
    ...tool(o.seed, 'mcp-server', mcp.id, coderStart + 910, 280, 'read_file', { path: '/data/q3.csv' }, 'revenue,1.2B'),
    name: 'tools/call read_file',
    otelKind: OTLP_KIND.server,
  }
  mcpServer.attrs = mcpAttrs(mcpServer)
  spans.push(mcp, mcpServer)
  spans.push(
    llm(o.seed, 'final', root.id, coderStart + 1550, 600, 'gpt-4o', msgs('user', q), msgs('assistant', answer)),
  )
  root.endMs = Math.max(root.endMs, coderStart + 2200)
  const mcpSpans = [mcpServer]
  const coderSpans = spans.filter((s) => s === coder || (s.parent === coder.id && !mcpSpans.includes(s)))
  const mainSpans = spans.filter((s) => !coderSpans.includes(s) && !mcpSpans.includes(s))
  // Three services: the planner, the coder behind A2A, the MCP tools server.
  return [
    request('planner-svc', traceId, mainSpans),
    request('coder-svc', traceId, coderSpans),
    request('mcp-tools-svc', traceId, mcpSpans),
  ]
}

/**
 * A huge agent loop: an orchestrator with `count - 1` descendants in groups of one sub-agent span,
 * a model call and tool calls (every 50th fails). Yields OTLP bodies of `batch` spans each.
 */
export function* makeHugeTrace(seed: string, startMs: number, count: number, batch = 5000): Generator<object> {
  const traceId = traceIdFor(seed)
  const rootId = hexId(`${seed}:root`, 16)
  const groupSize = 5
  const groups = Math.ceil((count - 1) / groupSize)
  const groupMs = 20
  let pending: SpanSpec[] = [agent(seed, 'root', '', startMs, startMs + groups * groupMs + 10, 'orchestrator')]
  pending[0]!.id = rootId
  let made = 1
  for (let g = 0; g < groups && made < count; g++) {
    const t = startMs + 5 + g * groupMs
    const agentName = g % 3 === 0 ? 'researcher' : g % 3 === 1 ? 'coder' : 'reviewer'
    const sub = agent(seed, `a${g}`, rootId, t, t + groupMs - 2, agentName)
    const children = [
      llm(seed, `l${g}`, sub.id, t + 1, 6, 'gpt-4o-mini', '', ''),
      tool(
        seed,
        `t${g}`,
        sub.id,
        t + 8,
        4,
        'web_search',
        { q: `step ${g}` },
        '{}',
        g % 50 === 0 ? 'rate limited' : undefined,
      ),
      tool(seed, `u${g}`, sub.id, t + 12, 3, 'read_file', { path: `/f/${g}` }, 'ok'),
      tool(seed, `v${g}`, sub.id, t + 15, 2, 'run_code', { n: g }, '1'),
    ]
    for (const s of [sub, ...children]) {
      if (made >= count) break
      pending.push(s)
      made++
      if (pending.length >= batch) {
        yield request('loop-svc', traceId, pending)
        pending = []
      }
    }
  }
  if (pending.length) yield request('loop-svc', traceId, pending)
}

/** One turn of a chat session, with the turn's messages on the root agent span. */
export function makeSessionTurn(
  seed: string,
  startMs: number,
  sessionId: string,
  question: string,
  answer: string,
): object {
  const traceId = traceIdFor(seed)
  const root = agent(seed, 'root', '', startMs, startMs + 900, 'support', [
    kv('session.id', sessionId),
    kv('gen_ai.conversation.id', sessionId),
    kv('user.id', 'user-e2e'),
    kv('gen_ai.input.messages', msgs('user', question)),
    kv('gen_ai.output.messages', msgs('assistant', answer)),
  ])
  const call = llm(
    seed,
    'llm',
    root.id,
    startMs + 10,
    800,
    'gpt-4o-mini',
    msgs('user', question),
    msgs('assistant', answer),
  )
  return request('support-svc', traceId, [root, call])
}
