import { describe, expect, it } from 'vitest'
import { generateRequests, mulberry32 } from '../../bench/generator.js'

const window = { windowStartMs: 0, windowEndMs: 86_400_000, spansPerRequest: 100 }
const traceIds = (opts: Parameters<typeof generateRequests>[0]) => {
  const ids: string[] = []
  let draws = 0
  for (const generated of generateRequests(opts)) {
    ids.push(...generated.traces.map((t) => t.traceId))
    draws = generated.draws
  }
  return { ids, draws }
}

describe('the bench generator as a stream (kept query dirs grow by continuing it)', () => {
  it('skips exactly k values: mulberry32(seed, k) is the stream after k draws', () => {
    const whole = mulberry32(7)
    const values = Array.from({ length: 1_000 }, () => whole())
    const later = mulberry32(7, 600)
    expect(Array.from({ length: 400 }, () => later())).toEqual(values.slice(600))
  })

  it('a load that starts where the last ended sends new trace ids, and says where it ended', () => {
    const first = traceIds({ seed: 20261123, spans: 2_000, ...window })
    const next = traceIds({ seed: 20261123, spans: 2_000, ...window, skipDraws: first.draws })
    expect(first.draws).toBeGreaterThan(2_000)
    expect(next.draws).toBeGreaterThan(first.draws)
    expect(next.ids.filter((id) => first.ids.includes(id))).toEqual([])
    // The same seed from the start is what a grown dir must never send: every id again.
    expect(traceIds({ seed: 20261123, spans: 2_000, ...window }).ids).toEqual(first.ids)
  })
})
