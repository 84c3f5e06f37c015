import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { allSpans, attrOf, expectWellFormed, fixture, op } from '../../test/otlp-checks.js'
import { costToUnits } from './split.js'
import { convertSweAgent } from './swe-agent.js'

interface RawTraj {
  trajectory: Array<{ action: string; observation: string }>
  history: Array<{ role: string; tool_calls?: Array<{ id: string; function: { name: string } }> }>
  info: { model_stats: { instance_cost: number; tokens_sent: number; tokens_received: number; api_calls: number } }
}

const COUNTED = 'gpt4__pydicom__pydicom-1458.traj'
/** A replayed demonstration: 11 API calls, every `model_stats` counter 0. */
const ZERO_STATS = 'function_calling_replace__marshmallow-code__marshmallow-1867.traj'
const FILES = [COUNTED, ZERO_STATS]

function load(fileName: string) {
  const raw = JSON.parse(fs.readFileSync(fixture(`swe-agent/${fileName}`), 'utf8')) as RawTraj
  const chats = allSpans(convertSweAgent(raw, { fileName })).filter((s) => op(s) === 'chat')
  return { raw, chats, stats: raw.info.model_stats }
}

describe.each(FILES)('SWE-agent import of %s', (fileName) => {
  const raw = JSON.parse(fs.readFileSync(fixture(`swe-agent/${fileName}`), 'utf8')) as RawTraj
  const request = convertSweAgent(raw, { fileName })
  const spans = allSpans(request)
  const chats = spans.filter((s) => op(s) === 'chat')
  const tools = spans.filter((s) => op(s) === 'execute_tool')
  const stats = raw.info.model_stats

  it('makes one trace with one chat and one tool span per trajectory step', () => {
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1)
    expect(chats).toHaveLength(raw.trajectory.length)
    expect(tools).toHaveLength(raw.trajectory.length)
    // Both sample files made exactly one API call per step.
    expect(chats).toHaveLength(stats.api_calls)
    expectWellFormed(request)
  })

  it('names tools after the action, or the function call when the history has one', () => {
    const calls = raw.history.filter((h) => h.role === 'assistant').map((h) => h.tool_calls?.[0])
    tools.forEach((tool, i) => {
      const call = calls[i]
      const expected = call ? call.function.name : raw.trajectory[i]!.action.trim().split(/\s+/)[0]
      expect(attrOf(tool, 'gen_ai.tool.name')).toBe(expected)
      if (call) expect(attrOf(tool, 'gen_ai.tool.call.id')).toBe(call.id)
    })
    expect(attrOf(spans[0]!, 'session.id')).toBe(
      fileName
        .replace(/\.traj$/, '')
        .split('__')
        .slice(-2)
        .join('__'),
    )
  })
})

describe(`SWE-agent usage and cost of ${COUNTED}`, () => {
  const { chats, stats } = load(COUNTED)

  it('matches the token totals and cost of model_stats exactly', () => {
    expect(stats.tokens_sent).toBeGreaterThan(0)
    const sum = (key: string) => chats.reduce((n, s) => n + Number(attrOf(s, key)), 0)
    expect(sum('gen_ai.usage.input_tokens')).toBe(stats.tokens_sent)
    expect(sum('gen_ai.usage.output_tokens')).toBe(stats.tokens_received)
    const costs = chats.map((s) => String(attrOf(s, 'llm.cost.total')))
    for (const cost of costs) expect(cost).toMatch(/^\d+(\.\d{1,10})?$/)
    const total = costs.reduce((n, c) => n + costToUnits(Number(c)), 0n)
    expect(total).toBe(costToUnits(stats.instance_cost))
    expect(Math.abs(costs.reduce((n, c) => n + Number(c), 0) - stats.instance_cost)).toBeLessThan(1e-9)
    expect(chats.every((s) => attrOf(s, 'sightline.usage.unknown') === undefined)).toBe(true)
  })
})

describe(`SWE-agent usage and cost of ${ZERO_STATS}`, () => {
  const { chats, stats } = load(ZERO_STATS)

  it('sends all-zero model_stats as unknown usage, never as $0 reported or zero tokens', () => {
    expect(stats).toMatchObject({ instance_cost: 0, tokens_sent: 0, tokens_received: 0, api_calls: 11 })
    expect(chats).toHaveLength(11)
    for (const chat of chats) {
      expect(attrOf(chat, 'sightline.usage.unknown')).toBe(true)
      expect(attrOf(chat, 'llm.cost.total')).toBeUndefined()
      expect(attrOf(chat, 'gen_ai.usage.input_tokens')).toBeUndefined()
      expect(attrOf(chat, 'gen_ai.usage.output_tokens')).toBeUndefined()
    }
  })

  it("leaves a zero instance_cost with counted tokens to the server's price table", () => {
    const { raw } = load(COUNTED)
    const unpricedRun = { ...raw, info: { ...raw.info, model_stats: { ...raw.info.model_stats, instance_cost: 0 } } }
    const spans = allSpans(convertSweAgent(unpricedRun, { fileName: COUNTED })).filter((s) => op(s) === 'chat')
    expect(spans.reduce((n, s) => n + Number(attrOf(s, 'gen_ai.usage.input_tokens')), 0)).toBe(
      raw.info.model_stats.tokens_sent,
    )
    expect(
      spans.every(
        (s) => attrOf(s, 'llm.cost.total') === undefined && attrOf(s, 'sightline.usage.unknown') === undefined,
      ),
    ).toBe(true)
  })
})
