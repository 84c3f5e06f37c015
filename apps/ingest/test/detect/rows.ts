import { toolArgsKey } from '@sightline/core'
import type { SpanRowInsert } from '@sightline/schema'
import { makeSpanRow } from '../factories/span-row.js'

/** Span rows for detector tests, written straight through the writer with any timestamp. */
export function spanRow(
  overrides: Partial<SpanRowInsert> & Pick<SpanRowInsert, 'trace_id' | 'span_id' | 'start_time' | 'end_time'>,
): SpanRowInsert {
  return makeSpanRow({
    kind: 'agent',
    service_version: '1.0.0',
    environment: 'prod',
    scope_name: 'test',
    agent_name: 'planner',
    ...overrides,
  })
}

export const chTime = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0').slice(-width)
export const traceId = (n: number) => hex(n, 32)
export const spanId = (trace: number, i: number) => hex(trace * 64 + i, 16)

export interface AgentTrace {
  n: number
  startMs: number
  costUsd: number
  tools?: Array<{ name: string; args: string; error?: boolean }>
  /** Leave the root agent span out (an agent that never returned). */
  withoutRoot?: boolean
  user?: string
}

/** agent root → one LLM call → tools, laid out over 2 seconds. */
export function agentTrace(t: AgentTrace): SpanRowInsert[] {
  const trace_id = traceId(t.n)
  const root = spanId(t.n, 0)
  const at = (offsetMs: number) => chTime(t.startMs + offsetMs)
  const rows: SpanRowInsert[] = []
  if (!t.withoutRoot)
    rows.push(
      spanRow({
        trace_id,
        span_id: root,
        start_time: at(0),
        end_time: at(2000),
        duration_ms: 2000,
        name: 'invoke_agent planner',
        user_id: t.user ?? '',
      }),
    )
  rows.push(
    spanRow({
      trace_id,
      span_id: spanId(t.n, 1),
      parent_span_id: root,
      start_time: at(10),
      end_time: at(900),
      duration_ms: 890,
      kind: 'llm',
      name: 'chat gpt-4o',
      model: 'gpt-4o',
      provider: 'openai',
      is_llm_call: true,
      input_tokens: Math.round(t.costUsd * 200_000),
      output_tokens: 100,
      cost_usd: t.costUsd.toFixed(10),
      cost_source: 'test',
    }),
  )
  ;(t.tools ?? []).forEach((tool, i) =>
    rows.push(
      spanRow({
        trace_id,
        span_id: spanId(t.n, 2 + i),
        parent_span_id: root,
        start_time: at(1000 + i * 10),
        end_time: at(1005 + i * 10),
        duration_ms: 5,
        kind: 'tool',
        name: `execute_tool ${tool.name}`,
        tool_name: tool.name,
        tool_arguments: tool.args,
        tool_args_key: toolArgsKey(tool.args),
        status: tool.error ? 'error' : 'ok',
        status_message: tool.error ? 'boom' : '',
      }),
    ),
  )
  return rows
}
