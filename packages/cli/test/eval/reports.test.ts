import { describe, expect, it } from 'vitest'
import { checkThresholds, estimateMetric } from '@sightline/core'
import type { EvalRunReport } from '@sightline/schema'
import { gateJunitXml } from '../../src/eval/reports.js'

describe('eval gate JUnit report', () => {
  it('has a failure per missed threshold and regression, an error per unjudged case', () => {
    const metrics = [estimateMetric('pass_rate', [1, 0, 0]), estimateMetric('trajectory_precision', [1, 0.25, 0.25])]
    const report: EvalRunReport = {
      runId: 'run-12345678',
      suite: 'checkout',
      release: '2.3.0',
      verdict: 'error',
      exitCode: 2,
      startedAt: '2026-03-01T00:00:00Z',
      finishedAt: '2026-03-01T00:01:00Z',
      metrics,
      thresholds: checkThresholds(metrics, [
        { metric: 'pass_rate', op: '>=', value: 0.9 },
        { metric: 'trajectory_precision', op: '>=', value: 0.5 },
      ]),
      baseline: {
        release: '2.3.1',
        runId: 'run-0',
        comparisons: [
          {
            metric: 'pass_rate',
            baseline: 1,
            current: 0.33,
            diff: -0.67,
            ciLow: -0.9,
            ciHigh: -0.1,
            pValue: 0.01,
            method: 'z',
            regressed: true,
          },
        ],
      },
      cases: [
        { caseId: 'a', verdict: 'pass', runs: 1, passed: 1, traceIds: [], problem: '' },
        { caseId: 'b<&>', verdict: 'fail', runs: 1, passed: 0, traceIds: [], problem: 'status-ok: expected ok' },
        { caseId: 'c', verdict: 'error', runs: 0, passed: 0, traceIds: [], problem: 'cannot reach http://127.0.0.1:9' },
      ],
      summary: 's',
    }
    const xml = gateJunitXml(report)
    expect(xml).toContain('<testsuite name="eval checkout on 2.3.0" tests="6" failures="3" errors="1">')
    expect(xml).toContain('<failure type="threshold" message="pass_rate 0.333 is not &gt;= 0.9"/>')
    expect(xml).toContain('name="threshold trajectory_precision&gt;=0.5" time="0"></testcase>')
    expect(xml).toContain('<failure type="regression"')
    expect(xml).toContain('name="case b&lt;&amp;&gt; (0/1 runs passed)"')
    expect(xml).toContain('<error type="error" message="cannot reach http://127.0.0.1:9"/>')
    expect(xml).toContain('<property name="verdict" value="error"/>')
  })
})
