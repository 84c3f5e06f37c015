/**
 * `sightline eval run`: every case of a suite replayed in its recorded world (the regression
 * runner), each run measured (pass, trajectory metrics, final match), the suite's metrics estimated
 * with 95 % intervals, checked against the thresholds and the last accepted release, and the
 * verdict: 0 pass, 1 regression, 2 harness error, 3 unverifiable. Results go back to Sightline as
 * `ci` scores on each run's trace and one gate report per suite run and release.
 */
import { randomBytes } from 'node:crypto'
import {
  checkThresholds,
  compareWithBaseline,
  estimateSuite,
  gateSummary,
  gateVerdict,
  type CaseRunMetrics,
  type Threshold,
} from '@sightline/core'
import type { EvalRunReport, RegressionCase } from '@sightline/schema'
import { exitCodeFor } from '../regress/exit-codes.js'
import { runCase, type CaseResult, type RunCaseOptions } from '../regress/runner.js'
import type { EvalApi } from './eval-api.js'
import { runMetrics } from './run-metrics.js'

export interface GateOptions {
  suite: string
  cases: RegressionCase[]
  thresholds: Threshold[]
  /** `auto`: the last accepted release of the suite; `none`: no comparison. */
  baseline: 'auto' | 'none'
  runOptions: RunCaseOptions
  api: EvalApi
  report: boolean
  log: (line: string) => void
}

export interface GateResult {
  report: EvalRunReport
  exitCode: number
  caseResults: CaseResult[]
  warnings: string[]
}

export async function runGate(o: GateOptions): Promise<GateResult> {
  const startedAt = new Date().toISOString()
  const runId = randomBytes(8).toString('hex')
  const warnings: string[] = []
  const caseResults: CaseResult[] = []
  const measured: CaseRunMetrics[] = []
  const perRun: Array<{ caseId: string; traceId: string; attempt: number; metrics: CaseRunMetrics['metrics'] }> = []
  for (const rc of o.cases) {
    o.log(`case ${rc.id}`)
    const result = await runCase(rc, o.runOptions)
    caseResults.push(result)
    for (const run of result.runs) {
      if (run.verdict !== 'pass' && run.verdict !== 'fail') continue
      let spans: Parameters<typeof runMetrics>[2] = []
      try {
        spans = (await o.api.trace(run.traceId)).spans
      } catch (err) {
        warnings.push(`run ${run.attempt} of ${rc.id}: trajectory not measured (${(err as Error).message})`)
      }
      const metrics = runMetrics(rc, run, spans)
      measured.push({ caseId: rc.id, verdict: run.verdict, metrics })
      perRun.push({ caseId: rc.id, traceId: run.traceId, attempt: run.attempt, metrics })
    }
  }
  // The release the runs saw (a wrong release is reported under its own name, not the expected one's).
  const release =
    caseResults.flatMap((c) => c.runs.map((r) => r.release)).find((r) => r) ?? o.runOptions.expectRelease ?? ''
  const metrics = estimateSuite(measured)
  const thresholds = checkThresholds(metrics, o.thresholds)
  let baseline: EvalRunReport['baseline'] = null
  if (o.baseline === 'auto') {
    try {
      const accepted = await o.api.acceptedBaseline(o.suite, release)
      if (accepted)
        baseline = {
          release: accepted.release,
          runId: accepted.runId,
          comparisons: compareWithBaseline(metrics, accepted.metrics),
        }
    } catch (err) {
      warnings.push(`no comparison with the accepted release: ${(err as Error).message}`)
    }
  }
  const verdict = gateVerdict(
    caseResults.map((c) => c.verdict),
    thresholds,
    baseline?.comparisons ?? [],
  )
  const partial = {
    runId,
    suite: o.suite,
    release,
    verdict,
    exitCode: exitCodeFor(verdict),
    startedAt,
    finishedAt: new Date().toISOString(),
    metrics,
    thresholds,
    baseline,
    cases: caseResults.map((c) => ({
      caseId: c.caseId,
      verdict: c.verdict,
      runs: c.runs.length,
      passed: c.runs.filter((r) => r.verdict === 'pass').length,
      traceIds: c.runs.map((r) => r.traceId),
      problem:
        [
          ...new Set(
            c.runs.flatMap((r) =>
              r.problem
                ? [r.problem]
                : r.assertions.filter((a) => a.blocking && !a.passed).map((a) => `${a.id}: ${a.detail}`),
            ),
          ),
        ]
          .join('; ')
          .slice(0, 2000) || (c.runs.length === 0 ? c.summary : ''),
    })),
  }
  const report: EvalRunReport = { ...partial, summary: gateSummary(partial) }
  if (o.report) await reportBack(o, report, perRun, warnings)
  return { report, exitCode: report.exitCode, caseResults, warnings }
}

/** `ci` scores on every measured run's trace, then the gate report. A failure is a warning: the verdict stands. */
async function reportBack(
  o: GateOptions,
  report: EvalRunReport,
  perRun: Array<{ caseId: string; traceId: string; attempt: number; metrics: CaseRunMetrics['metrics'] }>,
  warnings: string[],
): Promise<void> {
  const scores = perRun.flatMap((r) =>
    Object.entries(r.metrics).map(([metric, value]) => ({
      id: `ci:${report.runId}:${r.caseId}:${r.attempt}:${metric}`.slice(0, 160),
      traceId: r.traceId,
      name: metric,
      value,
      source: 'ci',
      evaluator: `suite:${o.suite}`,
      evaluatorVersion: report.runId,
      release: report.release,
      comment: `sightline eval run, case ${r.caseId}, run ${r.attempt}`,
    })),
  )
  try {
    await o.api.postScores(scores)
    await o.api.postEvalRun(report)
  } catch (err) {
    warnings.push(`results not sent to Sightline: ${(err as Error).message}`)
  }
}
