/**
 * Online evaluators (`evaluators`, one JSON document per id, versioned) and their runs
 * (`evaluator_runs`, one per evaluated trace and evaluator version).
 */
import { EvaluatorSchema, type Evaluator, type EvaluatorRun } from '@sightline/schema'
import { chTimeToIso } from '@sightline/schema'
import type { Store } from '../client.js'
import { sql, str, strArray, u64 } from '../sql.js'
import { JsonDocuments } from './json-documents.js'

export interface EvaluatorRunRow {
  project_id: string
  evaluator_id: string
  evaluator_version: number
  trace_id: string
  run_id: string
  started_at: string
  latency_ms: number
  cost_usd: number | null
  status: EvaluatorRun['status']
  input: string
  output: string
  error: string
  score_id: string
  judge_trace_id: string
}

export interface EvaluatorStats {
  runs: number
  errors: number
  lastRunAt: string | null
  costUsd: number
}

export class EvaluatorRepository {
  private readonly docs: JsonDocuments

  constructor(private readonly store: Store) {
    this.docs = new JsonDocuments(store, 'evaluators')
  }

  async list(projectId: string): Promise<Evaluator[]> {
    return (await this.docs.list(projectId)).map((d) => EvaluatorSchema.parse(JSON.parse(d.json)))
  }

  async get(projectId: string, id: string): Promise<Evaluator | undefined> {
    const json = await this.docs.get(projectId, id)
    return json === undefined ? undefined : EvaluatorSchema.parse(JSON.parse(json))
  }

  /** The highest version this id ever had (a deleted one too): a re-created evaluator continues from it. */
  async lastVersion(projectId: string, id: string): Promise<number> {
    const latest = await this.docs.latest(projectId, id)
    return latest?.json ? EvaluatorSchema.parse(JSON.parse(latest.json)).version : 0
  }

  async put(projectId: string, evaluator: Evaluator): Promise<void> {
    await this.docs.put(projectId, evaluator.id, JSON.stringify(evaluator))
  }

  async delete(projectId: string, evaluator: Evaluator): Promise<void> {
    await this.docs.delete(projectId, evaluator.id, JSON.stringify(evaluator))
  }

  /** Every enabled evaluator of every project, for the scheduler. */
  async listEnabled(): Promise<Array<{ projectId: string; evaluator: Evaluator }>> {
    const rows = await this.store.query<{ project_id: string; evaluator_json: string }>(sql`
      SELECT project_id, evaluator_json FROM evaluators FINAL WHERE is_deleted = 0 ORDER BY project_id, id`)
    return rows
      .map((r) => ({ projectId: r.project_id, evaluator: EvaluatorSchema.parse(JSON.parse(r.evaluator_json)) }))
      .filter((e) => e.evaluator.enabled)
  }

  async addRuns(rows: readonly EvaluatorRunRow[]): Promise<void> {
    if (rows.length === 0) return
    await this.store.insertJsonEachRow(
      'evaluator_runs',
      Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n')),
      `evaluator_runs:${rows.map((r) => r.run_id).join(',')}`,
    )
  }

  /** Which of these traces this evaluator version already evaluated. */
  async evaluatedTraces(
    projectId: string,
    evaluatorId: string,
    version: number,
    traceIds: readonly string[],
  ): Promise<Set<string>> {
    if (traceIds.length === 0) return new Set()
    const rows = await this.store.query<{ trace_id: string }>(sql`
      SELECT DISTINCT trace_id FROM evaluator_runs
      WHERE project_id = ${str(projectId)} AND evaluator_id = ${str(evaluatorId)}
        AND evaluator_version = ${u64(version)} AND trace_id IN ${strArray([...traceIds])}`)
    return new Set(rows.map((r) => r.trace_id))
  }

  async runs(projectId: string, evaluatorId: string, limit: number): Promise<EvaluatorRun[]> {
    const rows = await this.store.query<EvaluatorRunRow>(sql`
      SELECT project_id, evaluator_id, evaluator_version, trace_id, run_id, toString(started_at) AS started_at,
        latency_ms, cost_usd, status,
        input, output, error, score_id, judge_trace_id
      FROM evaluator_runs FINAL WHERE project_id = ${str(projectId)} AND evaluator_id = ${str(evaluatorId)}
      ORDER BY started_at DESC LIMIT ${u64(limit)}`)
    return rows.map((r) => ({
      evaluatorId: r.evaluator_id,
      evaluatorVersion: Number(r.evaluator_version),
      traceId: r.trace_id,
      runId: r.run_id,
      startedAt: chTimeToIso(r.started_at),
      latencyMs: Number(r.latency_ms),
      costUsd: r.cost_usd === null ? null : Number(r.cost_usd),
      status: r.status,
      input: r.input,
      output: r.output,
      error: r.error,
      scoreId: r.score_id,
      judgeTraceId: r.judge_trace_id,
    }))
  }

  async stats(projectId: string): Promise<Map<string, EvaluatorStats>> {
    const rows = await this.store.query<{
      evaluator_id: string
      runs: string
      errors: string
      last: string
      cost: number | null
    }>(sql`
      SELECT evaluator_id, count() AS runs, countIf(status != 'ok') AS errors, toString(max(started_at)) AS last,
        sum(ifNull(cost_usd, 0)) AS cost
      FROM evaluator_runs FINAL WHERE project_id = ${str(projectId)} GROUP BY evaluator_id`)
    return new Map(
      rows.map((r) => [
        r.evaluator_id,
        {
          runs: Number(r.runs),
          errors: Number(r.errors),
          lastRunAt: chTimeToIso(r.last),
          costUsd: Number(r.cost ?? 0),
        },
      ]),
    )
  }

  /** What this evaluator's judge calls cost since `since` (DateTime64 text, UTC). */
  async spentSince(projectId: string, evaluatorId: string, since: string): Promise<number> {
    const rows = await this.store.query<{ cost: number | null }>(sql`
      SELECT sum(ifNull(cost_usd, 0)) AS cost FROM evaluator_runs FINAL
      WHERE project_id = ${str(projectId)} AND evaluator_id = ${str(evaluatorId)}
        AND started_at >= toDateTime64(${str(since)}, 3, 'UTC')`)
    return Number(rows[0]?.cost ?? 0)
  }
}
