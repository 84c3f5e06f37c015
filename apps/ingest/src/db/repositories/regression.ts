import type {
  RegressionCase,
  RegressionCaseSummary,
  RegressionRun,
  ReportRegressionRunRequest,
} from '@sightline/schema'
import type { Store } from '../client.js'
import { sql, str, f64, u64 } from '../sql.js'

interface CaseRow {
  case_id: string
  suite: string
  title: string
  source_trace_id: string
  agent: string
  case_json: string
  created_at: string
  updated_at: string
}

interface RunRow {
  case_id: string
  run_id: string
  release: string
  verdict: RegressionRun['verdict']
  trace_id: string
  started_at: string
  duration_ms: number
  attempt: number
  summary: string
  reported_at: string
}

const iso = (chTime: string) => `${chTime.replace(' ', 'T')}Z`

/** Each write gets a strictly later version than the previous one, even within one millisecond. */
let lastVersionMs = 0
function nextVersion(): string {
  lastVersionMs = Math.max(Date.now(), lastVersionMs + 1)
  return new Date(lastVersionMs).toISOString()
}

const toDt = (isoTime: string) => sql`parseDateTime64BestEffort(${str(isoTime)}, 3, 'UTC')`

/** Saved regression cases and their run history. Reads use FINAL: the latest row per key wins. */
export class RegressionRepository {
  constructor(private readonly store: Store) {}

  async save(projectId: string, suite: string, rc: RegressionCase): Promise<{ updatedAt: string }> {
    const existing = await this.getRow(projectId, rc.id)
    const updatedAt = nextVersion()
    await this.store.command(sql`
      INSERT INTO regression_cases (project_id, case_id, suite, title, source_trace_id, agent, case_json, created_at,
        updated_at, is_deleted)
      VALUES (${str(projectId)}, ${str(rc.id)}, ${str(suite)}, ${str(rc.title)}, ${str(rc.source.traceId)},
        ${str(rc.agent.name)},
        ${str(JSON.stringify(rc))}, ${toDt(existing ? iso(existing.created_at) : updatedAt)}, ${toDt(updatedAt)}, 0)`)
    return { updatedAt }
  }

  async list(projectId: string, suite: string | undefined): Promise<RegressionCaseSummary[]> {
    const rows = await this.store.query<CaseRow>(sql`
      SELECT case_id, suite, title, source_trace_id, agent, '' AS case_json, toString(created_at) AS created_at,
        toString(updated_at) AS updated_at
      FROM regression_cases FINAL
      WHERE project_id = ${str(projectId)}
        AND is_deleted = 0 ${suite === undefined ? sql`` : sql`AND suite = ${str(suite)}`}
      ORDER BY suite, case_id
      LIMIT ${u64(10_000)}`)
    return rows.map((r) => ({
      id: r.case_id,
      suite: r.suite,
      title: r.title,
      sourceTraceId: r.source_trace_id,
      agent: r.agent,
      createdAt: iso(r.created_at),
      updatedAt: iso(r.updated_at),
    }))
  }

  /** The stored case JSON (parsed by the caller), or undefined. */
  async get(
    projectId: string,
    caseId: string,
  ): Promise<{ suite: string; caseJson: string; updatedAt: string } | undefined> {
    const row = await this.getRow(projectId, caseId)
    return row && { suite: row.suite, caseJson: row.case_json, updatedAt: iso(row.updated_at) }
  }

  /** True when a case was deleted, false when there was none. */
  async delete(projectId: string, caseId: string): Promise<boolean> {
    const row = await this.getRow(projectId, caseId)
    if (!row) return false
    await this.store.command(sql`
      INSERT INTO regression_cases (project_id, case_id, suite, title, source_trace_id, agent, case_json, created_at,
        updated_at, is_deleted)
      VALUES (${str(projectId)}, ${str(caseId)}, ${str(row.suite)}, '', '', '', '', ${toDt(iso(row.created_at))},
        ${toDt(nextVersion())}, 1)`)
    return true
  }

  async addRun(projectId: string, caseId: string, run: ReportRegressionRunRequest): Promise<void> {
    await this.store.command(sql`
      INSERT INTO regression_runs (project_id, case_id, run_id, release, verdict, trace_id, started_at, duration_ms,
        attempt, summary, reported_at)
      VALUES (${str(projectId)}, ${str(caseId)}, ${str(run.runId)}, ${str(run.release)}, ${str(run.verdict)},
        ${str(run.traceId)},
        ${toDt(run.startedAt)}, ${f64(run.durationMs)}, ${u64(run.attempt)}, ${str(run.summary)},
          ${toDt(nextVersion())})`)
  }

  async listRuns(projectId: string, caseId: string): Promise<RegressionRun[]> {
    const rows = await this.store.query<RunRow>(sql`
      SELECT case_id, run_id, release, verdict, trace_id, toString(started_at) AS started_at, duration_ms, attempt,
        summary, toString(reported_at) AS reported_at
      FROM regression_runs FINAL
      WHERE project_id = ${str(projectId)} AND case_id = ${str(caseId)}
      ORDER BY started_at DESC, run_id
      LIMIT ${u64(1000)}`)
    return rows.map((r) => ({
      caseId: r.case_id,
      runId: r.run_id,
      release: r.release,
      verdict: r.verdict,
      traceId: r.trace_id,
      startedAt: iso(r.started_at),
      durationMs: Number(r.duration_ms),
      attempt: Number(r.attempt),
      summary: r.summary,
      reportedAt: iso(r.reported_at),
    }))
  }

  private async getRow(projectId: string, caseId: string): Promise<CaseRow | undefined> {
    const rows = await this.store.query<CaseRow & { is_deleted: number }>(sql`
      SELECT case_id, suite, title, source_trace_id, agent, case_json, toString(created_at) AS created_at,
        toString(updated_at) AS updated_at, is_deleted
      FROM regression_cases FINAL
      WHERE project_id = ${str(projectId)} AND case_id = ${str(caseId)}
      LIMIT 1`)
    const row = rows[0]
    return row && Number(row.is_deleted) === 0 ? row : undefined
  }
}
