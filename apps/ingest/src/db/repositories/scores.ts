/**
 * Scores (table `scores`, history in `score_history`): the current version of each score, every
 * version for the history, and what a score's target (trace, span, session) is. Reads use FINAL
 * (the highest version per id wins) and skip deleted ones; every query is scoped to a project.
 */
import { fromStoredValue } from '@sightline/core'
import { chTimeToIso, type Score, type ScoreBrief, type ScoreDataType, type ScoreSource } from '@sightline/schema'
import type { Store } from '../client.js'
import { dt64, join, sql, str, strArray, u64, type SqlFragment } from '../sql.js'

/** A row as written to `scores` (JSONEachRow). Times are DateTime64(3) text in UTC. */
export interface ScoreRow {
  project_id: string
  trace_id: string
  score_id: string
  span_id: string
  session_id: string
  name: string
  data_type: ScoreDataType
  value: number
  string_value: string
  source: ScoreSource
  evaluator: string
  evaluator_version: string
  comment: string
  author: string
  error: string
  release: string
  agent: string
  models: string[]
  queue_id: string
  time: string
  created_at: string
  updated_at: string
  version: number
  is_deleted: number
  /** 0: release, agent and models were taken before the trace's root was stored (score-targets.ts settles them). */
  target_settled: number
}

/** What a trace is, for a score on it: when it started and what ran it. */
export interface TraceTarget {
  traceId: string
  startTime: string
  release: string
  agent: string
  models: string[]
  sessionId: string
  /** The root span is stored: release, agent and models are the root's, final. */
  hasRoot: boolean
}

export interface SpanTarget {
  traceId: string
  spanId: string
  release: string
  agent: string
  model: string
}

export interface ScoreListFilter {
  traceId?: string
  spanId?: string
  sessionId?: string
  names?: string[]
  sources?: string[]
  release?: string
  queueId?: string
  /** DateTime64 text bounds on `time`. */
  from?: string
  to?: string
  limit: number
}

const COLUMNS = sql`project_id, trace_id, score_id, span_id, session_id, name, data_type, value, string_value, source,
  evaluator,
  evaluator_version, comment, author, error, release, agent, models, queue_id, toString(time) AS time,
    toString(created_at) AS created_at,
  toString(updated_at) AS updated_at, version, is_deleted, target_settled`

export function rowToScore(row: ScoreRow): Score {
  const value = fromStoredValue(row.data_type, Number(row.value), row.string_value, row.error)
  return {
    id: row.score_id,
    traceId: row.trace_id,
    spanId: row.span_id,
    sessionId: row.session_id,
    name: row.name,
    dataType: row.data_type,
    value,
    label: row.data_type === 'numeric' ? row.string_value : '',
    source: row.source,
    comment: row.comment,
    author: row.author,
    evaluator: row.evaluator,
    evaluatorVersion: row.evaluator_version,
    error: row.error,
    release: row.release,
    agent: row.agent,
    models: row.models,
    queueId: row.queue_id,
    time: chTimeToIso(row.time),
    createdAt: chTimeToIso(row.created_at),
    updatedAt: chTimeToIso(row.updated_at),
    version: Number(row.version),
  }
}

export class ScoreRepository {
  constructor(private readonly store: Store) {}

  /** The current rows of these ids (deleted ones included, so an id is never reused for another target). */
  async current(projectId: string, ids: readonly string[]): Promise<Map<string, ScoreRow>> {
    if (ids.length === 0) return new Map()
    const rows = await this.store.query<ScoreRow>(sql`
      SELECT ${COLUMNS} FROM scores FINAL WHERE project_id = ${str(projectId)} AND score_id IN ${strArray([...ids])}`)
    return new Map(rows.map((r) => [r.score_id, r]))
  }

  /**
   * New versions, in one insert per table; the token makes a retried write store once. A version
   * that only settles the target (`history: false`) changes nothing a person wrote: no history entry.
   */
  async write(rows: readonly ScoreRow[], dedupToken: string, { history: withHistory = true } = {}): Promise<void> {
    if (rows.length === 0) return
    if (!withHistory) {
      await this.store.insertJsonEachRow(
        'scores',
        Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n')),
        dedupToken,
      )
      return
    }
    const history = rows.map((r) => ({
      project_id: r.project_id,
      score_id: r.score_id,
      version: r.version,
      data_type: r.data_type,
      value: r.value,
      string_value: r.string_value,
      comment: r.comment,
      author: r.author,
      error: r.error,
      is_deleted: r.is_deleted,
      changed_at: r.updated_at,
    }))
    // History first: a crash between the two leaves a version in the history that was never current,
    // never a current version missing from the history.
    await this.store.insertJsonEachRow(
      'score_history',
      Buffer.from(history.map((h) => JSON.stringify(h)).join('\n')),
      `${dedupToken}:h`,
    )
    await this.store.insertJsonEachRow('scores', Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n')), dedupToken)
  }

  async list(projectId: string, f: ScoreListFilter): Promise<Score[]> {
    const where: SqlFragment[] = [sql`project_id = ${str(projectId)}`, sql`is_deleted = 0`]
    if (f.traceId) where.push(sql`trace_id = ${str(f.traceId)}`)
    if (f.spanId) where.push(sql`span_id = ${str(f.spanId)}`)
    if (f.sessionId) where.push(sql`session_id = ${str(f.sessionId)}`)
    if (f.names?.length) where.push(sql`name IN ${strArray(f.names)}`)
    if (f.sources?.length) where.push(sql`source IN ${strArray(f.sources)}`)
    if (f.release !== undefined) where.push(sql`release = ${str(f.release)}`)
    if (f.queueId) where.push(sql`queue_id = ${str(f.queueId)}`)
    if (f.from) where.push(sql`time >= ${dt64(f.from)}`)
    if (f.to) where.push(sql`time <= ${dt64(f.to)}`)
    const rows = await this.store.query<ScoreRow>(sql`
      SELECT ${COLUMNS} FROM scores FINAL WHERE ${join(where, ' AND ')}
      ORDER BY time DESC, score_id LIMIT ${u64(f.limit)}`)
    return rows.map(rowToScore)
  }

  async history(
    projectId: string,
    scoreId: string,
  ): Promise<
    Array<{
      version: number
      dataType: ScoreDataType
      value: number
      label: string
      comment: string
      author: string
      error: string
      isDeleted: boolean
      changedAt: string
    }>
  > {
    const rows = await this.store.query<{
      version: string
      data_type: ScoreDataType
      value: number
      string_value: string
      comment: string
      author: string
      error: string
      is_deleted: number
      changed_at: string
    }>(sql`
      SELECT version, data_type, value, string_value, comment, author, error, is_deleted,
        toString(changed_at) AS changed_at
      FROM score_history FINAL WHERE project_id = ${str(projectId)} AND score_id = ${str(scoreId)} ORDER BY version`)
    return rows.map((r) => ({
      version: Number(r.version),
      dataType: r.data_type,
      value: Number(r.value),
      label: r.string_value,
      comment: r.comment,
      author: r.author,
      error: r.error,
      isDeleted: Number(r.is_deleted) === 1,
      changedAt: chTimeToIso(r.changed_at),
    }))
  }

  /** Per trace and score name: count, mean of numeric/boolean values, most frequent label, errors, sources. */
  async summary(projectId: string, traceIds: readonly string[]): Promise<Record<string, ScoreBrief[]>> {
    const rows = await this.store.query<{
      trace_id: string
      name: string
      n: string
      mean: number | null
      label: string
      errors: string
      sources: ScoreSource[]
    }>(sql`
      SELECT trace_id, name, count() AS n,
        avgIf(value, error = '' AND data_type != 'categorical') AS mean_raw,
        if(countIf(error = '' AND data_type != 'categorical') = 0, NULL, mean_raw) AS mean,
        topKIf(1)(string_value, data_type = 'categorical' AND error = '')[1] AS label_raw, ifNull(label_raw,
          '') AS label,
        countIf(error != '') AS errors, arraySort(groupUniqArray(source)) AS sources
      FROM scores FINAL
      WHERE project_id = ${str(projectId)} AND trace_id IN ${strArray([...traceIds])} AND is_deleted = 0
      GROUP BY trace_id, name ORDER BY trace_id, name`)
    const out: Record<string, ScoreBrief[]> = {}
    for (const r of rows) {
      ;(out[r.trace_id] ??= []).push({
        name: r.name,
        count: Number(r.n),
        mean: r.mean === null ? null : Number(r.mean),
        label: r.label,
        errors: Number(r.errors),
        sources: r.sources,
      })
    }
    return out
  }

  /** Current trace-level scores of these traces whose target was taken before the root was stored. */
  async unsettled(projectId: string, traceIds: readonly string[]): Promise<ScoreRow[]> {
    if (traceIds.length === 0) return []
    return this.store.query<ScoreRow>(sql`
      SELECT ${COLUMNS} FROM scores FINAL
      WHERE project_id = ${str(projectId)} AND trace_id IN ${strArray([...traceIds])}
        AND target_settled = 0 AND is_deleted = 0`)
  }

  /** Traces that exist in the project, with their start, root release and agent, models and session. */
  async traceTargets(projectId: string, traceIds: readonly string[]): Promise<Map<string, TraceTarget>> {
    if (traceIds.length === 0) return new Map()
    const bounds = await this.bounds(projectId, traceIds)
    if (!bounds) return new Map()
    const rows = await this.store.query<{
      trace_id: string
      start_text: string
      root_release: string
      agent: string
      models: string[]
      session_id: string
      has_root: number
    }>(sql`
      SELECT trace_id, toString(min(start_time)) AS start_text, countIf(parent_span_id = '') > 0 AS has_root,
        if(countIf(parent_span_id = '') > 0, argMinIf(service_version, start_time, parent_span_id = ''),
          argMin(service_version, start_time)) AS root_release,
        if(countIf(parent_span_id = '' AND agent_name != '') > 0, argMinIf(agent_name, start_time,
          parent_span_id = '' AND agent_name != ''),
          ifNull(argMinIf(agent_name, start_time, agent_name != ''), '')) AS agent,
        arraySort(groupUniqArrayIf(model, model != '' AND is_llm_call)) AS models,
        ifNull(argMinIf(session_id, start_time, session_id != ''), '') AS session_id
      FROM spans
      WHERE project_id = ${str(projectId)} AND trace_id IN ${strArray([...traceIds])}
        AND start_time >= toStartOfHour(${dt64(bounds.from)}) AND start_time <= ${dt64(bounds.to)}
      GROUP BY trace_id`)
    return new Map(
      rows.map((r) => [
        r.trace_id,
        {
          traceId: r.trace_id,
          startTime: r.start_text,
          release: r.root_release,
          agent: r.agent,
          models: r.models,
          sessionId: r.session_id,
          hasRoot: Number(r.has_root) === 1,
        },
      ]),
    )
  }

  /** Spans that exist (by trace and span id), with their release, own agent and model. */
  async spanTargets(
    projectId: string,
    targets: ReadonlyArray<{ traceId: string; spanId: string }>,
  ): Promise<Map<string, SpanTarget>> {
    if (targets.length === 0) return new Map()
    const traceIds = [...new Set(targets.map((t) => t.traceId))]
    const bounds = await this.bounds(projectId, traceIds)
    if (!bounds) return new Map()
    const rows = await this.store.query<{
      trace_id: string
      span_id: string
      service_version: string
      agent_name: string
      model: string
    }>(sql`
      SELECT DISTINCT trace_id, span_id, service_version, agent_name, model FROM spans
      WHERE project_id = ${str(projectId)} AND trace_id IN ${strArray(traceIds)}
        AND span_id IN ${strArray([...new Set(targets.map((t) => t.spanId))])}
        AND start_time >= toStartOfHour(${dt64(bounds.from)}) AND start_time <= ${dt64(bounds.to)}`)
    return new Map(
      rows.map((r) => [
        `${r.trace_id}/${r.span_id}`,
        { traceId: r.trace_id, spanId: r.span_id, release: r.service_version, agent: r.agent_name, model: r.model },
      ]),
    )
  }

  /** Sessions that have at least one trace in the project. */
  async knownSessions(projectId: string, sessionIds: readonly string[]): Promise<Set<string>> {
    if (sessionIds.length === 0) return new Set()
    const rows = await this.store.query<{ session_id: string }>(sql`
      SELECT DISTINCT session_id FROM traces WHERE project_id = ${str(projectId)}
        AND session_id IN ${strArray([...sessionIds])}`)
    return new Set(rows.map((r) => r.session_id))
  }

  /** The span carrying a model response id (`gen_ai.response.id`), for evaluation events without a span context. */
  async spanByResponseId(
    projectId: string,
    responseId: string,
    around: string,
  ): Promise<{ traceId: string; spanId: string } | undefined> {
    const rows = await this.store.query<{ trace_id: string; span_id: string }>(sql`
      SELECT trace_id, span_id FROM spans
      WHERE project_id = ${str(projectId)} AND start_time >= ${dt64(around)} - INTERVAL 1 DAY
        AND start_time <= ${dt64(around)} + INTERVAL 1 HOUR
        AND attributes['gen_ai.response.id'] = ${str(responseId)}
      LIMIT 1`)
    const row = rows[0]
    return row && { traceId: row.trace_id, spanId: row.span_id }
  }

  /** The events (JSON text) of given spans, for reading the evaluation results they carry. */
  async spanEvents(
    projectId: string,
    spans: ReadonlyArray<{ traceId: string; spanId: string }>,
  ): Promise<Array<{ traceId: string; spanId: string; events: string }>> {
    if (spans.length === 0) return []
    const traceIds = [...new Set(spans.map((s) => s.traceId))]
    const bounds = await this.bounds(projectId, traceIds)
    if (!bounds) return []
    const rows = await this.store.query<{ trace_id: string; span_id: string; events: string }>(sql`
      SELECT trace_id, span_id, any(events) AS events FROM spans
      WHERE project_id = ${str(projectId)} AND trace_id IN ${strArray(traceIds)}
        AND span_id IN ${strArray([...new Set(spans.map((s) => s.spanId))])}
        AND start_time >= toStartOfHour(${dt64(bounds.from)}) AND start_time <= ${dt64(bounds.to)}
      GROUP BY trace_id, span_id`)
    return rows.map((r) => ({ traceId: r.trace_id, spanId: r.span_id, events: r.events }))
  }

  private async bounds(
    projectId: string,
    traceIds: readonly string[],
  ): Promise<{ from: string; to: string } | undefined> {
    const rows = await this.store.query<{ from: string; to: string; n: string }>(sql`
      SELECT toString(min(start_min)) AS from, toString(max(start_max)) AS to, count() AS n
      FROM trace_index WHERE project_id = ${str(projectId)} AND trace_id IN ${strArray([...traceIds])}`)
    const row = rows[0]
    return row && Number(row.n) > 0 ? { from: row.from, to: row.to } : undefined
  }
}
