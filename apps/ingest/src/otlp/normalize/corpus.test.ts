/**
 * Contract test: every captured body in the shared corpus, decoded, normalised and resolved per
 * trace, must match the ground truth in EXPECTED.json (model calls and token sums without double
 * counting, tools, agents, session and user ids).
 */
import { resolveTrace, toolName, type Resolution } from '@sightline/core'
import type { SpanRowInsert } from '@sightline/schema'
import { describe, expect, it } from 'vitest'
import { factsFromRow } from '../../resolve/span-facts.js'
import { decodeExportRequest } from '../decode.js'
import { normalizeExportRequest, type NormalizeResult } from './index.js'
import {
  corpusFileNames,
  EDGE_DIR,
  expectedCorpus,
  expectedTools,
  idPart,
  readCorpusBody,
} from '@sightline/testkit/corpus'

const expected = expectedCorpus

function normalizeFile(file: string, dir?: URL): NormalizeResult {
  const { body, encoding } = readCorpusBody(file, dir)
  return normalizeExportRequest(decodeExportRequest(body, encoding), {
    projectId: 'p1',
    maxAttributeValueBytes: 64 * 1024,
  })
}

/** Each trace of the file, resolved as the store would (settled: the capture is complete). */
function resolveFile(rows: SpanRowInsert[]): Resolution[] {
  const byTrace = new Map<string, SpanRowInsert[]>()
  for (const row of rows) byTrace.set(row.trace_id, [...(byTrace.get(row.trace_id) ?? []), row])
  return [...byTrace.values()].map((trace) => resolveTrace(trace.map(factsFromRow), { settled: true }))
}

const sum = <T>(items: T[], pick: (item: T) => number) => items.reduce((total, item) => total + pick(item), 0)
const distinct = (values: string[]) => [...new Set(values.filter((value) => value !== ''))].sort()
describe('corpus contract (EXPECTED.json)', () => {
  const files = Object.entries(expected.files)

  it('covers every capture in the corpus folder', () => {
    const onDisk = corpusFileNames()
    expect(files.map(([name]) => name).sort()).toEqual(onDisk.sort())
  })

  describe.each(files)('%s', (file, want) => {
    const { rows, rejected } = normalizeFile(file)
    const traces = resolveFile(rows)
    const resolved = traces.map((r) => r.trace)

    it('keeps every span and trace', () => {
      expect(rejected.count).toBe(0)
      expect(rows).toHaveLength(want.auto_spans)
      expect(distinct(rows.map((row) => row.trace_id))).toHaveLength(want.auto_traces)
    })

    it('counts each model call once, with its tokens', () => {
      expect(sum(resolved, (t) => t.llmCalls)).toBe(want.model_calls)
      expect(sum(resolved, (t) => t.inputTokens)).toBe(want.input_tokens)
      expect(sum(resolved, (t) => t.outputTokens)).toBe(want.output_tokens)
      expect(sum(resolved, (t) => t.cachedInputTokens)).toBe(want.cached_input_tokens ?? 0)
      expect(sum(resolved, (t) => t.reasoningTokens)).toBe(want.reasoning_tokens ?? 0)
    })

    it('finds the tool calls with their ids and errors', () => {
      const byId = new Map(rows.map((row) => [row.span_id, row]))
      const tools = traces
        .flatMap(({ roles, failures }) =>
          [...roles]
            .filter(([, role]) => role.tool === 'call')
            .map(([spanId]) => ({ row: byId.get(spanId)!, failed: failures.failed.has(spanId) })),
        )
        .sort((a, b) => a.row.start_time.localeCompare(b.row.start_time))
        .map(({ row, failed }) => ({ name: toolName(factsFromRow(row)), id: row.tool_call_id || null, error: failed }))
      expect(tools).toEqual(expectedTools(file, want))
    })

    it('names the agents', () => {
      const agents = want.agents ?? want.functionIds ?? []
      expect(distinct(resolved.flatMap((t) => t.agents))).toEqual([...agents].sort())
    })

    it('finds session and user ids', () => {
      const sessions = want.session_id === undefined ? [] : [idPart(want.session_id)]
      const users = want.user_id === undefined ? [] : [idPart(want.user_id)]
      expect(distinct(resolved.map((t) => t.sessionId))).toEqual(sessions)
      expect(distinct(resolved.map((t) => t.userId))).toEqual(users)
    })

    it('marks the error spans', () => {
      expect(rows.filter((row) => row.status === 'error')).toHaveLength(want.auto_error_status_spans)
    })
  })
})

describe('corpus specifics', () => {
  const vercel = 'vercel-ai-sdk-6.0.326__generateText-tools-multistep+streamText.otlp.json'

  it('keeps the AI SDK session on trace 1 only; the generateText aggregate is not a call', () => {
    const { rows } = normalizeFile(vercel)
    const root = rows.find((row) => row.name === 'ai.generateText')
    expect(root?.kind).toBe('agent')
    expect(root?.input_tokens).toBe(242)
    const streamTrace = rows.find((row) => row.name === 'ai.streamText')?.trace_id
    for (const { trace, roles } of resolveFile(rows)) {
      expect(trace.sessionId).toBe(
        trace.rootSpanId === rows.find((r) => r.trace_id === streamTrace && r.parent_span_id === '')?.span_id
          ? ''
          : 'sess-123',
      )
      if (root && roles.has(root.span_id)) expect(roles.get(root.span_id)?.llm).toBe('aggregate')
    }
    expect(rows.find((row) => row.name === 'ai.streamText.doStream')?.provider).toBe('mock-anthropic')
  })

  it('gives the Traceloop trace the session of its spans, although the root workflow span lacks it', () => {
    const file = 'openllmetry-traceloop-node-server-sdk-0.27.0+openai-6.49.0__workflow-agent-tool-task.otlp.json'
    const { rows } = normalizeFile(file)
    const root = rows.find((row) => row.parent_span_id === '')
    expect(root?.name).toBe('conversation.conv-789.workflow')
    expect(resolveFile(rows)[0]?.trace.sessionId).toBe('sess-123')
    expect(rows.find((row) => row.name === 'get_weather.tool')?.tool_arguments).toBe(
      '{"args":[],"kwargs":{"city":"Paris"}}',
    )
  })
})

describe('edge cases', () => {
  const edge = (name: string) => normalizeFile(name, EDGE_DIR)

  it('keeps an orphan span and flags end < start', () => {
    const { rows, rejected } = edge('orphan-parent-and-out-of-order.otlp.json')
    expect(rejected.count).toBe(0)
    expect(rows.map((row) => row.span_id)).toEqual(['0000000000000002', '0000000000000001'])
    expect(rows[0]?.parent_span_id).toBe('00000000000000ff')
    expect(rows[0]?.kind).toBe('tool')
    expect(rows[1]?.flags).toContain('end_before_start')
    expect(rows[1]?.duration_ms).toBe(0)
  })

  it('lower-cases upper-case hex ids', () => {
    const { rows } = edge('uppercase-hex-ids.otlp.json')
    expect(rows[0]?.trace_id).toBe('5b8efff798038103d269b633813fc60c')
    expect(rows[0]?.span_id).toBe('eee19b7ec3c1b174')
    expect(rows[0]?.parent_span_id).toBe('eee19b7ec3c1b173')
  })

  it('reads int64 strings as token counts', () => {
    const { rows } = edge('int64-as-string.otlp.json')
    expect(rows[0]?.is_llm_call).toBe(true)
    expect([rows[0]?.input_tokens, rows[0]?.output_tokens]).toEqual([12, 7])
  })

  it('serialises structured kvlist messages and tool arguments as JSON', () => {
    const { rows } = edge('structured-kvlist-messages.otlp.json')
    expect(JSON.parse(rows[0]?.input ?? '')).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
    ])
    expect(rows[0]?.attributes['gen_ai.tool.call.arguments']).toBe('{"city":"Paris"}')
  })

  it('returns no rows for empty requests', () => {
    expect(edge('empty-request.otlp.json').rows).toEqual([])
    expect(edge('empty-resourceSpans.otlp.json').rows).toEqual([])
  })
})
