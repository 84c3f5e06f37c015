import { describe, expect, it } from 'vitest'
import { findDrift, type DriftFacts } from './drift.js'
import { stableJson, jsonDiff } from './json-diff.js'

const T = Date.parse('2026-03-01T10:00:00Z')
const min = 60_000
const schemaV1 = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }
const schemaV2 = {
  type: 'object',
  properties: { city: { type: 'string' }, units: { type: 'string', enum: ['c', 'f'] } },
  required: ['city'],
}

function facts(over: Partial<DriftFacts> = {}): DriftFacts {
  return { releases: [], cards: [], schemas: [], pairs: [], agentFirstSeenMs: new Map(), ...over }
}

describe('jsonDiff', () => {
  it('lists changed paths whatever the key order, arrays by position', () => {
    expect(jsonDiff({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 3] }, a: 1, d: 'x' })).toEqual([
      { path: '/b/c/1', before: 2, after: 3 },
      { path: '/d', before: null, after: 'x' },
    ])
    expect(stableJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}')
  })
})

describe('findDrift', () => {
  it('reports a new agent version with the version and card diff', () => {
    const card = (version: string) => ({ name: 'planner-agent', version, description: 'plans' })
    const events = findDrift(
      facts({
        releases: [
          { agent: 'planner-agent', release: '2.3.0', firstSeenMs: T },
          { agent: 'planner-agent', release: '2.3.1', firstSeenMs: T + 30 * min },
        ],
        cards: [
          {
            agent: 'planner-agent',
            revision: 1,
            cardVersion: '2.3.0',
            contentHash: 'h1',
            card: card('2.3.0'),
            firstReceivedMs: T,
          },
          {
            agent: 'planner-agent',
            revision: 2,
            cardVersion: '2.3.1',
            contentHash: 'h2',
            card: card('2.3.1'),
            firstReceivedMs: T + 30 * min,
          },
        ],
      }),
    )
    const version = events.find((e) => e.kind === 'agent_version')!
    expect(version).toMatchObject({
      subject: 'planner-agent',
      atMs: T + 30 * min,
      summary: 'planner-agent: new version 2.3.1 (was 2.3.0)',
    })
    expect(version.diff.changes).toEqual(
      expect.arrayContaining([
        { path: '/release', before: '2.3.0', after: '2.3.1' },
        { path: '/card/version', before: '2.3.0', after: '2.3.1' },
      ]),
    )
    const changed = events.find((e) => e.kind === 'card_changed')!
    expect(changed.diff.changes).toEqual([{ path: '/version', before: '2.3.0', after: '2.3.1' }])
    // Same facts, same ids: a re-scan stores nothing new.
    expect(
      findDrift(
        facts({
          releases: [
            ...[
              { agent: 'planner-agent', release: '2.3.1', firstSeenMs: T + 30 * min },
              { agent: 'planner-agent', release: '2.3.0', firstSeenMs: T },
            ],
          ],
        }),
      )[0]!.id,
    ).toBe(version.id)
  })

  it('reports a changed input schema, not a re-ordered one, and a tool the server stopped listing', () => {
    const listed = (tool: string, hash: string, inputSchema: unknown, first: number, last: number) => ({
      server: 'demo-tools',
      tool,
      source: 'tools/list' as const,
      hash,
      inputSchema,
      firstSeenMs: first,
      lastSeenMs: last,
    })
    const reordered = { required: ['city'], properties: { city: { type: 'string' } }, type: 'object' }
    const events = findDrift(
      facts({
        schemas: [
          listed('weather', 'a', schemaV1, T, T + 10 * min),
          listed('weather', 'b', reordered, T + 5 * min, T + 10 * min),
          listed('weather', 'c', schemaV2, T + 20 * min, T + 40 * min),
          listed('calculator', 'd', { type: 'object' }, T, T + 10 * min),
        ],
      }),
    )
    const schema = events.filter((e) => e.kind === 'tool_schema_changed')
    expect(schema).toHaveLength(1)
    expect(schema[0]).toMatchObject({ subject: 'demo-tools/weather', atMs: T + 20 * min })
    expect(schema[0]!.diff.changes).toEqual([
      { path: '/properties/units', before: null, after: { type: 'string', enum: ['c', 'f'] } },
    ])
    const gone = events.filter((e) => e.kind === 'tool_disappeared')
    expect(gone.map((e) => e.subject)).toEqual(['demo-tools/calculator'])
  })

  it('reports an agent calling a tool it never called before, not the tools of its first bucket', () => {
    const events = findDrift(
      facts({
        agentFirstSeenMs: new Map([['executor', T]]),
        pairs: [
          { agent: 'executor', tool: 'db_lookup', firstSeenMs: T },
          { agent: 'executor', tool: 'search', firstSeenMs: T + 60 * min },
          { agent: '', tool: 'x', firstSeenMs: T + 60 * min },
        ],
      }),
    )
    expect(events.map((e) => [e.kind, e.summary])).toEqual([
      ['new_tool_call', 'executor: called search for the first time'],
    ])
  })
})
