import { describe, expect, it } from 'vitest'
import { DEFAULT_RELEASE_LATENCY_CONFIG as C, judgeReleaseLatency, type ReleaseLatencyRow } from '../../src/detect/release-latency.js'

const row = (release: string, runs: number, p95: number, agent = 'executor', projectId = 'p'): ReleaseLatencyRow => ({ projectId, agent, release, runs, p95, traceIds: [`t-${release}`] })

describe('release latency rule', () => {
  it('flags a canary whose p95 is far above the agent\'s main release', () => {
    const [finding, ...rest] = judgeReleaseLatency([row('1.4.0', 80, 1200), row('1.5.0-canary', 20, 3000)], C)
    expect(rest).toEqual([])
    expect(finding).toMatchObject({ kind: 'level_shift', dimension: 'release', value: '1.5.0-canary', metric: 'latency_p95', observed: 3000, expected: 1200, score: 2.5, traceIds: ['t-1.5.0-canary'] })
    expect(finding!.summary).toContain('agent executor')
  })

  it('needs enough runs on both sides, a large enough ratio and excess, and a baseline at least as busy', () => {
    expect(judgeReleaseLatency([row('1.4.0', 80, 1200), row('canary', 5, 3000)], C)).toEqual([])
    expect(judgeReleaseLatency([row('1.4.0', 8, 1200), row('canary', 20, 3000)], C)).toEqual([])
    expect(judgeReleaseLatency([row('1.4.0', 80, 1200), row('canary', 20, 1500)], C)).toEqual([])
    expect(judgeReleaseLatency([row('1.4.0', 80, 40), row('canary', 20, 100)], C)).toEqual([]) // 2.5× but only 60 ms
    // The busier release is not judged against a quieter one, even when slower.
    expect(judgeReleaseLatency([row('1.4.0', 80, 3000), row('canary', 20, 1000)], C)).toEqual([])
  })

  it('compares releases only within the same agent and project', () => {
    expect(judgeReleaseLatency([row('1.4.0', 80, 1200, 'executor'), row('2.0.0', 20, 3000, 'planner')], C)).toEqual([])
    expect(judgeReleaseLatency([row('1.4.0', 80, 1200, 'executor', 'a'), row('canary', 20, 3000, 'executor', 'b')], C)).toEqual([])
  })
})
