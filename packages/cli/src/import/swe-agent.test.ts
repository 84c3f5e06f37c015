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

const FILES = ['gpt4__pydicom__pydicom-1458.traj', 'function_calling_replace__marshmallow-code__marshmallow-1867.traj']

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

  it('matches the token totals and cost of model_stats exactly', () => {
    const sum = (key: string) => chats.reduce((n, s) => n + Number(attrOf(s, key)), 0)
    expect(sum('gen_ai.usage.input_tokens')).toBe(stats.tokens_sent)
    expect(sum('gen_ai.usage.output_tokens')).toBe(stats.tokens_received)
    const costs = chats.map((s) => String(attrOf(s, 'llm.cost.total')))
    for (const cost of costs) expect(cost).toMatch(/^\d+(\.\d{1,10})?$/)
    const total = costs.reduce((n, c) => n + costToUnits(Number(c)), 0n)
    expect(total).toBe(costToUnits(stats.instance_cost))
    expect(Math.abs(costs.reduce((n, c) => n + Number(c), 0) - stats.instance_cost)).toBeLessThan(1e-9)
  })

  it('names tools after the action, or the function call when the history has one', () => {
    const calls = raw.history.filter((h) => h.role === 'assistant').map((h) => h.tool_calls?.[0])
    tools.forEach((tool, i) => {
      const call = calls[i]
      const expected = call ? call.function.name : raw.trajectory[i]!.action.trim().split(/\s+/)[0]
      expect(attrOf(tool, 'gen_ai.tool.name')).toBe(expected)
      if (call) expect(attrOf(tool, 'gen_ai.tool.call.id')).toBe(call.id)
    })
    expect(attrOf(spans[0]!, 'session.id')).toBe(fileName.replace(/\.traj$/, '').split('__').slice(-2).join('__'))
  })
})
