import { histogramOf } from '@sightline/core'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_RELEASE_LATENCY_CONFIG as C,
  judgeReleaseLatency,
  type ReleaseLatencyRow,
} from '../../src/detect/release-latency.js'

/** `runs` runs of about `typicalMs` (±40 %), evenly spread, so the p95 sits near 1.38 × typical. */
const row = (
  release: string,
  runs: number,
  typicalMs: number,
  agent = 'executor',
  projectId = 'p',
): ReleaseLatencyRow => ({
  projectId,
  agent,
  release,
  runs,
  latency: histogramOf(Array.from({ length: runs }, (_, i) => typicalMs * (0.6 + (0.8 * i) / Math.max(1, runs - 1)))),
  traceIds: [`t-${release}`],
})

describe('release latency rule', () => {
  it("flags a canary whose runs are mostly slower than the agent's main release's p95", () => {
    const [finding, ...rest] = judgeReleaseLatency([row('1.4.0', 80, 1200), row('1.5.0-canary', 20, 3000)], C)
    expect(rest).toEqual([])
    expect(finding).toMatchObject({
      kind: 'level_shift',
      dimension: 'release',
      value: '1.5.0-canary',
      metric: 'latency_p95',
      traceIds: ['t-1.5.0-canary'],
      agent: 'executor',
    })
    expect(finding!.observed / finding!.expected).toBeCloseTo(2.5, 1)
    expect(finding!.summary).toContain('agent executor')
    expect(finding!.summary).toMatch(/20 of 20 runs slower than 1\.4\.0's p95/)
  })

  it('needs enough runs each side, a large enough ratio, excess and share of slow runs, a baseline as busy', () => {
    expect(judgeReleaseLatency([row('1.4.0', 80, 1200), row('canary', 5, 3000)], C)).toEqual([])
    expect(judgeReleaseLatency([row('1.4.0', 8, 1200), row('canary', 20, 3000)], C)).toEqual([])
    expect(judgeReleaseLatency([row('1.4.0', 80, 1200), row('canary', 20, 1400)], C)).toEqual([]) // 1.17×
    expect(judgeReleaseLatency([row('1.4.0', 80, 40), row('canary', 20, 100)], C)).toEqual([]) // 2.5× but only 80 ms
    // The busier release is not judged against a quieter one, even when slower.
    expect(judgeReleaseLatency([row('1.4.0', 80, 3000), row('canary', 20, 1000)], C)).toEqual([])
  })

  it('does not flag a release whose p95 is higher only through a few slow runs', () => {
    const canary = row('canary', 40, 1200)
    // Same runs as the main release, plus two very slow ones: the p95 doubles, the share above the main p95 does not
    // move.
    const slowTail = {
      ...canary,
      runs: 42,
      latency: histogramOf([...Array.from({ length: 40 }, (_, i) => 1200 * (0.6 + (0.8 * i) / 39)), 9000, 9500]),
    }
    expect(judgeReleaseLatency([row('1.4.0', 200, 1200), slowTail], C)).toEqual([])
  })

  it('compares releases only within the same agent and project', () => {
    expect(judgeReleaseLatency([row('1.4.0', 80, 1200, 'executor'), row('2.0.0', 20, 3000, 'planner')], C)).toEqual([])
    expect(
      judgeReleaseLatency([row('1.4.0', 80, 1200, 'executor', 'a'), row('canary', 20, 3000, 'executor', 'b')], C),
    ).toEqual([])
  })
})
