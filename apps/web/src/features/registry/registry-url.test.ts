import { describe, expect, it } from 'vitest'
import { rangeFromSearch, withParams } from './registry-url'

describe('registry URL state', () => {
  const now = Date.parse('2026-03-01T10:00:30Z')
  it('reads a preset ending now (whole minutes) or explicit bounds', () => {
    expect(rangeFromSearch('?range=1h', now)).toEqual({
      key: '1h',
      from: '2026-03-01T09:01:00.000Z',
      to: '2026-03-01T10:01:00.000Z',
    })
    expect(rangeFromSearch('', now).key).toBe('24h')
    expect(rangeFromSearch('?from=2026-02-01T00:00:00Z&to=2026-02-02T00:00:00Z', now)).toMatchObject({
      key: 'custom',
      from: '2026-02-01T00:00:00.000Z',
    })
    expect(rangeFromSearch('?from=2026-02-02T00:00:00Z&to=2026-02-01T00:00:00Z&range=7d', now).key).toBe('7d')
  })
  it('updates parameters and drops empty ones', () => {
    expect(withParams('?range=1h&tab=tools', { tab: 'agents', q: '' })).toBe('?range=1h&tab=agents')
    expect(withParams('?tab=tools', { tab: undefined })).toBe('')
  })
})
