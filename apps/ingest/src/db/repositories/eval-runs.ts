/** `sightline eval run` reports per suite and release (`eval_runs`), the whole report kept as JSON. */
import { EvalRunSchema, type EvalRun, type EvalRunReport } from '@sightline/schema'
import type { Store } from '../client.js'
import { chTime, join, sql, str, strArray, u64, type SqlFragment } from '../sql.js'
import { nextVersionMs } from './json-documents.js'

export class EvalRunRepository {
  constructor(private readonly store: Store) {}

  async add(projectId: string, report: EvalRunReport): Promise<EvalRun> {
    const reportedAt = nextVersionMs()
    const run: EvalRun = { ...report, reportedAt: new Date(reportedAt).toISOString() }
    const row = {
      project_id: projectId,
      run_id: report.runId,
      suite: report.suite,
      release: report.release,
      verdict: report.verdict,
      report_json: JSON.stringify(run),
      started_at: chTime(Date.parse(report.startedAt)),
      reported_at: chTime(reportedAt),
    }
    await this.store.insertJsonEachRow(
      'eval_runs',
      Buffer.from(JSON.stringify(row)),
      `eval_runs:${projectId}:${report.runId}:${reportedAt}`,
    )
    return run
  }

  async list(
    projectId: string,
    f: { suite?: string; release?: string; releases?: string[]; verdict?: string; limit: number },
  ): Promise<EvalRun[]> {
    const where: SqlFragment[] = [sql`project_id = ${str(projectId)}`]
    if (f.suite) where.push(sql`suite = ${str(f.suite)}`)
    if (f.release !== undefined) where.push(sql`release = ${str(f.release)}`)
    if (f.releases) where.push(sql`release IN ${strArray(f.releases)}`)
    if (f.verdict) where.push(sql`verdict = ${str(f.verdict)}`)
    const rows = await this.store.query<{ report_json: string }>(sql`
      SELECT report_json FROM eval_runs FINAL WHERE ${join(where, ' AND ')} ORDER BY started_at DESC,
        run_id LIMIT ${u64(f.limit)}`)
    return rows.map((r) => EvalRunSchema.parse(JSON.parse(r.report_json)))
  }

  /** The latest run per suite on each of these releases. */
  async latestPerSuite(projectId: string, releases: readonly string[]): Promise<Map<string, EvalRun[]>> {
    const out = new Map<string, EvalRun[]>()
    if (releases.length === 0) return out
    for (const run of await this.list(projectId, { releases: [...releases], limit: 500 })) {
      const list = out.get(run.release) ?? []
      if (!list.some((r) => r.suite === run.suite)) list.push(run)
      out.set(run.release, list)
    }
    return out
  }
}
