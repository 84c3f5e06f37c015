import { describe, expect, it } from 'vitest'
import { nextSort, parseExplorerQuery, serializeExplorerQuery, toListParams } from './explorer-url'

describe('explorer URL state', () => {
  it('round-trips every field', () => {
    const search =
      'range=custom&from=2026-01-01T00%3A00%3A00.000Z&to=2026-01-02T00%3A00%3A00.000Z&agent=a%2Cb&tool=search' +
      '&status=recovered,failed&tag=loop&regression=all&sessionId=s1&minCostUsd=0.5&q=paris&sort=costUsd&order=asc' +
      '&pages=3&live=1'
    const q = parseExplorerQuery(search)
    expect(q).toMatchObject({
      range: 'custom',
      outcomes: ['failed', 'recovered'],
      tags: ['loop'],
      includeRegression: true,
      sort: 'costUsd',
      order: 'asc',
      pages: 3,
      isLive: true,
    })
    expect(q.lists.agent).toEqual(['a', 'b'])
    expect(parseExplorerQuery(serializeExplorerQuery(q))).toEqual(q)
  })

  it('falls back to defaults on junk and keeps default URLs empty', () => {
    const q = parseExplorerQuery('range=99y&sort=nope&status=maybe&tag=shiny&regression=yes&minCostUsd=-3&pages=abc')
    expect(q).toMatchObject({
      range: '7d',
      sort: 'startTime',
      outcomes: [],
      tags: [],
      includeRegression: false,
      minCostUsd: '',
      pages: 1,
    })
    expect(serializeExplorerQuery(q)).toBe('')
  })

  it('turns a preset into absolute API bounds and sends only set filters', () => {
    const now = Date.parse('2026-01-10T00:00:00Z')
    const params = toListParams(parseExplorerQuery('range=24h&model=gpt-4o'), now)
    expect(params).toMatchObject({
      from: '2026-01-09T00:00:00.000Z',
      to: '2026-01-10T00:00:00.000Z',
      model: 'gpt-4o',
      limit: '50',
    })
    expect(params).not.toHaveProperty('status')
    expect(params).not.toHaveProperty('regression')
  })

  it('reads `error` as `failed` and sends outcomes, tags and regression=all as the API spells them', () => {
    const q = parseExplorerQuery('status=error,running&tag=recovered-retry,loop&regression=all')
    expect(q.outcomes).toEqual(['failed', 'running'])
    expect(serializeExplorerQuery(q)).toBe('status=failed%2Crunning&tag=loop%2Crecovered-retry&regression=all')
    expect(toListParams(q)).toMatchObject({ status: 'failed,running', tag: 'loop,recovered-retry', regression: 'all' })
  })

  it('flips the order when the same header is clicked again', () => {
    const q = parseExplorerQuery('')
    expect(nextSort(q, 'durationMs')).toEqual({ sort: 'durationMs', order: 'desc', pages: 1 })
    expect(nextSort(q, 'startTime')).toEqual({ sort: 'startTime', order: 'asc', pages: 1 })
  })
})
