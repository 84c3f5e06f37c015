import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { allSpans, attrOf, byTrace, expectWellFormed, fixture, op } from '../../test/otlp-checks.js'
import { parseRunFile } from './detect.js'
import { convertTauBench } from './tau-bench.js'

const FILE = 'gpt-4o-airline.json'
const text = fs.readFileSync(fixture(`tau-bench/${FILE}`), 'utf8')
// The expectations below read the raw JSON directly, not through the converter's schema.
const raw = JSON.parse(text) as Array<{
  task_id: number
  trial: number
  traj: Array<{ role: string; content: string | null; tool_calls?: unknown[] }>
}>
const request = convertTauBench(parseRunFile(text, FILE), { fileName: FILE })

describe('tau-bench import', () => {
  it('makes one trace per run with a chat span per assistant message and a tool span per tool call', () => {
    const traces = [...byTrace(request).values()]
    expect(traces).toHaveLength(raw.length)
    traces.forEach((spans, i) => {
      const run = raw[i]!
      const assistants = run.traj.filter((m) => m.role === 'assistant')
      const toolCalls = assistants.reduce((n, m) => n + (m.tool_calls?.length ?? 0), 0)
      const toolErrors = run.traj.filter((m) => m.role === 'tool' && (m.content ?? '').startsWith('Error')).length
      expect(spans.filter((s) => op(s) === 'chat')).toHaveLength(assistants.length)
      expect(spans.filter((s) => op(s) === 'execute_tool')).toHaveLength(toolCalls)
      expect(spans.filter((s) => op(s) === 'execute_tool' && s.status.code === 2)).toHaveLength(toolErrors)
      expect(attrOf(spans[0]!, 'session.id')).toBe(`task-${run.task_id}`)
    })
    const spans = allSpans(request)
    expect(spans.filter((s) => op(s) === 'chat')).toHaveLength(2454)
    expect(spans.filter((s) => op(s) === 'execute_tool')).toHaveLength(1164)
  })

  it('emits well-formed, deterministic OTLP and no invented token counts: usage is unknown on every model call', () => {
    expectWellFormed(request)
    expect(allSpans(request).some((s) => attrOf(s, 'gen_ai.usage.input_tokens') !== undefined)).toBe(false)
    expect(allSpans(request).filter((s) => attrOf(s, 'sightline.usage.unknown') === true)).toHaveLength(2454)
    const chat = allSpans(request).find((s) => op(s) === 'chat')!
    expect(attrOf(chat, 'gen_ai.request.model')).toBe('gpt-4o')
    expect(attrOf(chat, 'gen_ai.provider.name')).toBe('openai')
    expect(JSON.stringify(convertTauBench(JSON.parse(text), { fileName: FILE }))).toBe(JSON.stringify(request))
  })

  it('links tool results by call id and lays runs out back to back from --start', () => {
    const limited = convertTauBench(JSON.parse(text), {
      fileName: FILE,
      limit: 2,
      baseTimeMs: Date.parse('2025-01-01T00:00:00Z'),
    })
    const traces = [...byTrace(limited).values()]
    expect(traces).toHaveLength(2)
    const [first, second] = traces.map((spans) => spans[0]!)
    expect(first!.startTimeUnixNano).toBe(`${Date.parse('2025-01-01T00:00:00Z')}000000`)
    expect(BigInt(second!.startTimeUnixNano) > BigInt(first!.endTimeUnixNano)).toBe(true)
    const tool = traces[0]!.find((s) => op(s) === 'execute_tool')!
    // The first tool span answers the first assistant message with tool calls; its result is the next message.
    const traj = raw[0]!.traj
    const at = traj.findIndex((m) => (m.tool_calls?.length ?? 0) > 0)
    expect(attrOf(tool, 'gen_ai.tool.call.result')).toBe(traj[at + 1]!.content)
  })
})
