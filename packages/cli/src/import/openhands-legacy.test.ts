/**
 * Older OpenHands run files (real samples, fixtures/trajectories/openhands/SOURCES.md): history as
 * [action, observation] pairs, and as bare events without ids. Expectations are read from the raw
 * JSON, not through the importer's schemas.
 */
import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { attrOf, byTrace, expectWellFormed, fixture, op } from '../../test/otlp-checks.js'
import { detectFormat, parseRunFile } from './detect.js'
import { convertOpenHands, timestampToNs } from './openhands.js'
import { costToUnits } from './split.js'

type RawEvent = Record<string, unknown> & {
  id?: number
  timestamp?: string
  source?: string
  action?: string
  observation?: string
  content?: string
  args?: Record<string, unknown>
}
interface RawRun {
  issue: { owner: string; repo: string; number: number }
  metrics: { accumulated_cost: number; costs: number[] }
}

const PAIRS = 'resolver-2024-08-history-pairs.jsonl'
const BARE = 'resolver-2024-10-bare-events.jsonl'
const read = (file: string) => fs.readFileSync(fixture(`openhands/${file}`), 'utf8')
const EDIT_SYNTAX_ERROR = '[Your proposed edit has introduced new syntax error'

function convert(file: string, text = read(file), baseTimeMs?: number) {
  const request = convertOpenHands(parseRunFile(text, file), {
    fileName: file,
    ...(baseTimeMs === undefined ? {} : { baseTimeMs }),
  })
  const traces = [...byTrace(request).values()]
  expect(traces).toHaveLength(1)
  const spans = traces[0]!
  return {
    request,
    spans,
    chats: spans.filter((s) => op(s) === 'chat'),
    tools: spans.filter((s) => op(s) === 'execute_tool'),
  }
}

/** Each call's cost in order, and their sum equal to the file's accumulated cost (at 1e-10). */
function expectCostsInOrder(chats: ReturnType<typeof convert>['chats'], run: RawRun) {
  expect(chats.map((s) => Number(attrOf(s, 'llm.cost.total')))).toEqual(
    run.metrics.costs.map((c) => Number(c.toFixed(10))),
  )
  const total = chats.reduce((n, s) => n + costToUnits(Number(attrOf(s, 'llm.cost.total'))), 0n)
  expect(total).toBe(costToUnits(run.metrics.accumulated_cost))
  // The file has costs but no token counts: tokens are unknown, not zero.
  for (const chat of chats) {
    expect(attrOf(chat, 'sightline.usage.unknown')).toBe(true)
    expect(attrOf(chat, 'gen_ai.usage.input_tokens')).toBeUndefined()
  }
}

describe(`OpenHands history as [action, observation] pairs (${PAIRS})`, () => {
  const run = JSON.parse(read(PAIRS)) as RawRun & { history: Array<[RawEvent, RawEvent]> }
  const { request, spans, chats, tools } = convert(PAIRS)
  const agentActions = run.history.map(([action]) => action).filter((a) => a.source === 'agent')
  const executed = run.history.filter(
    ([action, obs]) =>
      action.source === 'agent' && !['message', 'finish'].includes(action.action!) && obs.id !== undefined,
  )

  it('is recognised and read: one chat per agent action, one tool per executed action, session from the issue', () => {
    expect(detectFormat(parseRunFile(read(PAIRS), PAIRS), PAIRS)).toBe('openhands')
    expect(chats).toHaveLength(agentActions.length)
    expect(chats).toHaveLength(run.metrics.costs.length)
    expect(tools).toHaveLength(executed.length)
    expect(tools.map((s) => attrOf(s, 'gen_ai.tool.name'))).toEqual(executed.map(([action]) => action.action))
    expect(attrOf(spans[0]!, 'session.id')).toBe(`${run.issue.owner}/${run.issue.repo}#${run.issue.number}`)
    expectWellFormed(request)
  })

  it("keeps the file's times: a tool runs from its action to its observation", () => {
    const [action, observation] = executed[0]!
    const tool = tools[0]!
    expect(tool.startTimeUnixNano).toBe(timestampToNs(action.timestamp!).toString())
    expect(tool.endTimeUnixNano).toBe(timestampToNs(observation.timestamp!).toString())
    expect(attrOf(tool, 'gen_ai.tool.call.result')).toBe(observation.content)
    expect(JSON.parse(String(attrOf(tool, 'gen_ai.tool.call.arguments')))).toEqual({ command: action.args!['command'] })
  })

  it('marks the edits the agentskills editor refused as failed tool calls', () => {
    const refused = executed.filter(([, obs]) => String(obs.content ?? '').startsWith(EDIT_SYNTAX_ERROR)).length
    expect(refused).toBeGreaterThan(0)
    expect(tools.filter((s) => s.status.code === 2)).toHaveLength(refused)
    expect(tools.filter((s) => s.status.code === 2).every((s) => attrOf(s, 'error.type') === 'edit_syntax_error')).toBe(
      true,
    )
  })

  it('gives each call its own cost from metrics.costs, in order', () => {
    expectCostsInOrder(chats, run)
  })

  it('names what does not fit, with its path and what was expected', () => {
    const broken = JSON.parse(read(PAIRS)) as { history: Array<[RawEvent, RawEvent]> }
    delete broken.history[2]![0].timestamp
    expect(() => convertOpenHands(broken, { fileName: PAIRS })).toThrow(
      `${PAIRS}: not a openhands file: history[2][0].timestamp: Invalid input: expected string, received undefined`,
    )
  })
})

describe(`OpenHands history as bare events without ids (${BARE})`, () => {
  const run = JSON.parse(read(BARE)) as RawRun & { instruction: string; history: RawEvent[] }
  const base = Date.parse('2025-02-03T04:05:06Z')
  const { request, spans, chats, tools } = convert(BARE, read(BARE), base)
  const actions = run.history.filter((e) => e.action !== undefined)

  it("reads each observation as the answer to the action before it, the first message as the user's task", () => {
    expect(run.history[0]).toMatchObject({ action: 'message', content: run.instruction })
    expect(chats).toHaveLength(actions.length - 1)
    expect(chats).toHaveLength(run.metrics.costs.length)
    const answered = run.history.flatMap((e, i) =>
      e.observation !== undefined ? [[run.history[i - 1]!, e] as const] : [],
    )
    expect(tools.map((s) => [attrOf(s, 'gen_ai.tool.name'), attrOf(s, 'gen_ai.tool.call.result')])).toEqual(
      answered.map(([a, o]) => [a.action, o.content]),
    )
    const firstInput = JSON.parse(String(attrOf(chats[0]!, 'gen_ai.input.messages'))) as Array<{
      role: string
      parts: Array<{ content: string }>
    }>
    expect(firstInput).toEqual([{ role: 'user', parts: [{ type: 'text', content: run.instruction }] }])
    expect(attrOf(spans[0]!, 'session.id')).toBe(`${run.issue.owner}/${run.issue.repo}#${run.issue.number}`)
    expectWellFormed(request)
  })

  it('synthesises times from --start, one event a second', () => {
    expect(spans[0]!.startTimeUnixNano).toBe(`${base}000000`)
    expect(BigInt(spans[0]!.endTimeUnixNano)).toBe(BigInt(base + (run.history.length - 1) * 1000) * 1_000_000n)
  })

  it('gives each call its own cost from metrics.costs, in order', () => {
    expectCostsInOrder(chats, run)
  })

  it('names a bare event that is neither an action nor an observation', () => {
    const broken = JSON.parse(read(BARE)) as { history: RawEvent[] }
    broken.history[3] = { content: 'orphan text' }
    expect(() => convertOpenHands([broken, broken], { fileName: BARE })).toThrow(
      `${BARE}: not a openhands file: [0].history[3]: expected an event with an \`action\` or \`observation\` key`,
    )
  })
})

describe('OpenHands files that fit no known shape', () => {
  it('name the first field that does not fit instead of "(root): Invalid input"', () => {
    const events = JSON.parse(read('runtime-trajs-basic.json')) as RawEvent[]
    const withoutSource = events.map((e, i) => (i === 1 ? { ...e, source: undefined } : e))
    expect(() => convertOpenHands(withoutSource, { fileName: 'basic.json' })).toThrow(
      'basic.json: not a openhands file: [1].source: Invalid input: expected string, received undefined',
    )
    expect(() => convertOpenHands([{ instance_id: 'x', history: 'none' }], { fileName: 'out.jsonl' })).toThrow(
      'out.jsonl: not a openhands file: [0].history: Invalid input: expected array, received string',
    )
  })
})
