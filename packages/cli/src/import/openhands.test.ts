import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { attrOf, byTrace, expectWellFormed, fixture, op } from '../../test/otlp-checks.js'
import { parseRunFile } from './detect.js'
import { convertOpenHands, timestampToNs } from './openhands.js'

interface RawEvent {
  id: number
  source: string
  action?: string
  observation?: string
  cause?: number
  content?: string
  extras?: { metadata?: { exit_code?: number } }
  tool_call_metadata?: { model_response: { id: string; usage?: { prompt_tokens: number; completion_tokens: number } } }
}
interface RawRun {
  instance_id: string
  history: RawEvent[]
  metrics: { token_usages: Array<{ prompt_tokens: number; completion_tokens: number }> }
}

/** Expected counts straight from the raw events: one model turn per response id or metadata-less agent action. */
function expectedCounts(events: RawEvent[]) {
  const actions = events.filter((e) => e.source === 'agent' && e.action !== undefined && e.action !== 'system')
  const withMeta = actions.filter((e) => e.tool_call_metadata)
  const responses = new Map(
    withMeta.map((e) => [e.tool_call_metadata!.model_response.id, e.tool_call_metadata!.model_response]),
  )
  return {
    llmCalls: responses.size + (actions.length - withMeta.length),
    toolCalls: withMeta.length,
    responses: [...responses.values()],
  }
}

describe('OpenHands import of output.jsonl', () => {
  const FILE = 'multi_swe_bench-example-output.jsonl'
  const text = fs.readFileSync(fixture(`openhands/${FILE}`), 'utf8')
  const runs = text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as RawRun)
  const request = convertOpenHands(parseRunFile(text, FILE), { fileName: FILE })
  const traces = [...byTrace(request).values()]

  it("makes one trace per line with the file's turns, tool calls and tokens", () => {
    expect(traces).toHaveLength(runs.length)
    traces.forEach((spans, i) => {
      const run = runs[i]!
      const expected = expectedCounts(run.history)
      const chats = spans.filter((s) => op(s) === 'chat')
      expect(attrOf(spans[0]!, 'session.id')).toBe(run.instance_id)
      expect(chats).toHaveLength(expected.llmCalls)
      expect(spans.filter((s) => op(s) === 'execute_tool')).toHaveLength(expected.toolCalls)
      const sum = (key: string) => chats.reduce((n, s) => n + Number(attrOf(s, key) ?? 0), 0)
      expect(sum('gen_ai.usage.input_tokens')).toBe(run.metrics.token_usages.reduce((n, u) => n + u.prompt_tokens, 0))
      expect(sum('gen_ai.usage.output_tokens')).toBe(
        run.metrics.token_usages.reduce((n, u) => n + u.completion_tokens, 0),
      )
      const toolActions = new Set(run.history.filter((e) => e.tool_call_metadata && e.action).map((e) => e.id))
      const failed = run.history.filter(
        (e) =>
          e.cause !== undefined &&
          toolActions.has(e.cause) &&
          (e.observation === 'error' ||
            (e.content ?? '').startsWith('ERROR:') ||
            (e.extras?.metadata?.exit_code ?? 0) > 0),
      ).length
      expect(spans[0]!.events).toHaveLength(
        run.history.filter((e) => e.observation === 'error' && e.cause === undefined).length,
      )
      expect(spans.filter((s) => op(s) === 'execute_tool' && s.status.code === 2)).toHaveLength(failed)
    })
    expectWellFormed(request)
  })

  it("keeps the file's timestamps (UTC, microseconds)", () => {
    const first = runs[0]!.history[0] as RawEvent & { timestamp: string }
    expect(traces[0]![0]!.startTimeUnixNano).toBe(timestampToNs(first.timestamp).toString())
    expect(timestampToNs('2025-04-30T16:32:54.707474')).toBe(1746030774707474000n)
  })

  it('honours --limit', () => {
    expect(convertOpenHands(parseRunFile(text, FILE), { fileName: FILE, limit: 1 }).resourceSpans).toHaveLength(1)
  })
})

describe.each(['runtime-trajs-basic.json', 'runtime-trajs-basic_interactions.json'])(
  'OpenHands import of %s',
  (fileName) => {
    const events = JSON.parse(fs.readFileSync(fixture(`openhands/${fileName}`), 'utf8')) as RawEvent[]
    const request = convertOpenHands(events, { fileName })
    const spans = [...byTrace(request).values()][0]!

    it('counts turns, tool calls and tokens from the recorded responses', () => {
      const expected = expectedCounts(events)
      const chats = spans.filter((s) => op(s) === 'chat')
      expect(chats).toHaveLength(expected.llmCalls)
      expect(spans.filter((s) => op(s) === 'execute_tool')).toHaveLength(expected.toolCalls)
      const input = chats.reduce((n, s) => n + Number(attrOf(s, 'gen_ai.usage.input_tokens') ?? 0), 0)
      expect(input).toBe(expected.responses.reduce((n, r) => n + (r.usage?.prompt_tokens ?? 0), 0))
      expectWellFormed(request)
    })
  },
)
