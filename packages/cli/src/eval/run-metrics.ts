/**
 * The gate's metrics of one case run: pass (the case's verdict), the trajectory metrics of the run's
 * steps against the case's expected trajectory, and final_match (the share of the case's `output`
 * assertions that held; not measured for a case without any).
 */
import { observeCounted, trajectoryScores, type ObservableSpan } from '@sightline/core'
import type { GateMetric, RegressionCase } from '@sightline/schema'
import type { RunResult } from '../regress/runner.js'

export function runMetrics(
  rc: RegressionCase,
  run: RunResult,
  spans: readonly ObservableSpan[],
): Partial<Record<GateMetric, number>> {
  const metrics: Partial<Record<GateMetric, number>> = { pass_rate: run.verdict === 'pass' ? 1 : 0 }
  if (rc.expected.trajectory.length > 0 && spans.length > 0) {
    const t = trajectoryScores(rc.expected.trajectory, observeCounted(spans).steps, rc.expected.match)
    Object.assign(metrics, {
      trajectory_exact: t.exact,
      trajectory_in_order: t.inOrder,
      trajectory_any_order: t.anyOrder,
      trajectory_precision: t.precision,
      trajectory_recall: t.recall,
    })
  }
  const outputs = run.assertions.filter((a) => a.type === 'output')
  if (outputs.length > 0) metrics.final_match = outputs.filter((a) => a.passed).length / outputs.length
  return metrics
}
