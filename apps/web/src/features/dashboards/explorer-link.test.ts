import { describe, expect, it } from 'vitest'
import { parseExplorerQuery } from '../explorer/explorer-url'
import { bucketRange, explorerLink } from './explorer-link'

const parse = (link: string) => parseExplorerQuery(link.slice(link.indexOf('?')))

describe('explorerLink', () => {
  it('filters the explorer to the dimension value and the bucket of a chart point', () => {
    const link = explorerLink({
      dimension: 'model',
      value: 'gpt-4.1',
      ...bucketRange('2026-03-10T10:00:00.000Z', '1h'),
      sort: 'costUsd',
    })
    expect(link.startsWith('/traces?')).toBe(true)
    const q = parse(link)
    expect(q).toMatchObject({
      range: 'custom',
      from: '2026-03-10T10:00:00.000Z',
      to: '2026-03-10T11:00:00.000Z',
      sort: 'costUsd',
    })
    expect(q.lists.model).toEqual(['gpt-4.1'])
  })

  it('maps users to userId, and has no filter for the total or the "other" series', () => {
    const range = bucketRange('2026-03-10T10:00:00.000Z', '5m')
    expect(range.to).toBe('2026-03-10T10:05:00.000Z')
    expect(parse(explorerLink({ dimension: 'user', value: 'u-1', ...range })).userId).toBe('u-1')
    const total = parse(explorerLink({ dimension: 'total', value: '', ...range, outcomes: ['failed'] }))
    expect(total.outcomes).toEqual(['failed'])
    expect(Object.values(total.lists).flat()).toEqual([])
    expect(Object.values(parse(explorerLink({ dimension: 'release', value: null, ...range })).lists).flat()).toEqual([])
    expect(parse(explorerLink({ dimension: 'release', value: '2.3.0', ...range })).lists.release).toEqual(['2.3.0'])
    expect(parse(explorerLink({ dimension: 'service', value: 'svc-a', ...range })).lists.service).toEqual(['svc-a'])
    // The unattributed share has no list filter: its link opens the whole bucket.
    expect(Object.values(parse(explorerLink({ dimension: 'agent', value: '', ...range })).lists).flat()).toEqual([])
  })
})
