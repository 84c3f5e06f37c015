/**
 * Writes scores: the one path for the API, the SDK, reviewers, evaluators, CI and OpenTelemetry
 * evaluation events. A batch is all or nothing: every score is checked (shape, value against its
 * score config, target in this project, id not reused for another target or author) before any is
 * stored, so a bad score never costs a good one already stored, and a rejected batch stores none.
 * A score sent again with the same id and content writes nothing (idempotent); changed content
 * writes a newer version and keeps the old one in the history.
 */
import { createHash, randomBytes } from 'node:crypto'
import { checkScoreValue, toStoredValue } from '@sightline/core'
import { ScoreInputSchema, type ParsedScoreInput, type ScoreSource } from '@sightline/schema'
import { nextVersionMs } from '../db/repositories/json-documents.js'
import type { ScoreConfigRepository } from '../db/repositories/score-configs.js'
import type { ScoreRepository, ScoreRow, SpanTarget, TraceTarget } from '../db/repositories/scores.js'
import { AppError, badRequest } from '../errors.js'
import { chTime } from '../db/sql.js'

/** A parsed score plus the sources only the server writes (`otel`). */
export type ScoreToWrite = Omit<ParsedScoreInput, 'source'> & { source: ScoreSource }

export interface WrittenScore {
  id: string
  status: 'created' | 'updated' | 'unchanged'
}

/** Fields whose change makes a new version (the target and name may never change). */
const CONTENT: Array<keyof ScoreRow> = [
  'data_type',
  'value',
  'string_value',
  'source',
  'evaluator',
  'evaluator_version',
  'comment',
  'author',
  'error',
  'queue_id',
  'is_deleted',
]

export class ScoreWriter {
  constructor(
    private readonly scores: ScoreRepository,
    private readonly configs: ScoreConfigRepository,
    /** Queues traces for the resolver (score-targets.ts settles their scores once it has judged them). */
    private readonly resolveAgain: (projectId: string, traceIds: readonly string[]) => Promise<void> = async () => {},
  ) {}

  /** Parses raw API items (each with its index in messages), then writes them. */
  async writeRaw(
    projectId: string,
    raw: readonly unknown[],
    defaultSource: 'api' | 'sdk' = 'api',
  ): Promise<WrittenScore[]> {
    const problems: string[] = []
    const parsed: ScoreToWrite[] = []
    raw.forEach((item, i) => {
      const withSource =
        item && typeof item === 'object' && !Array.isArray(item) && !('source' in item)
          ? { ...item, source: defaultSource }
          : item
      const result = ScoreInputSchema.safeParse(withSource)
      if (result.success) parsed.push(result.data)
      else
        problems.push(
          ...result.error.issues.map(
            (issue) => `scores[${i}]${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`,
          ),
        )
    })
    if (problems.length) throw badRequest(`Invalid scores: ${problems.slice(0, 20).join('; ')}`)
    return this.write(projectId, parsed)
  }

  async write(projectId: string, inputs: readonly ScoreToWrite[]): Promise<WrittenScore[]> {
    const items = inputs.map((s) => ({
      ...s,
      id: s.id ?? `s_${randomBytes(12).toString('hex')}`,
      traceId: s.traceId?.toLowerCase(),
      spanId: s.spanId?.toLowerCase(),
    }))
    const firstIndex = new Map<string, number>()
    const problems: string[] = []
    items.forEach((s, i) => {
      const seen = firstIndex.get(s.id)
      if (seen !== undefined) problems.push(`scores[${i}].id: ${s.id} repeats scores[${seen}].id`)
      else firstIndex.set(s.id, i)
    })
    const configs = await this.configs.byName(projectId)
    items.forEach((s, i) => {
      if (s.value === undefined) return
      const problem = checkScoreValue(s.value, s.dataType, configs.get(s.name))
      if (problem) problems.push(`scores[${i}].value: ${problem}`)
    })
    if (problems.length) throw badRequest(`Invalid scores: ${problems.slice(0, 20).join('; ')}`)

    const { traces, spans } = await this.checkTargets(projectId, items)
    const current = await this.scores.current(
      projectId,
      items.map((s) => s.id),
    )
    const conflicts: string[] = []
    const now = nextVersionMs()
    const rows: ScoreRow[] = []
    const unsettled = new Set<string>()
    const results: WrittenScore[] = items.map((s, i) => {
      const trace = s.traceId ? traces.get(s.traceId) : undefined
      const span = s.traceId && s.spanId ? spans.get(`${s.traceId}/${s.spanId}`) : undefined
      const stored =
        s.value === undefined
          ? { dataType: s.dataType ?? 'numeric', value: 0, label: '' }
          : toStoredValue(s.value, s.label)
      const existing = current.get(s.id)
      const row: ScoreRow = {
        project_id: projectId,
        trace_id: s.traceId ?? '',
        score_id: s.id,
        span_id: s.spanId ?? '',
        session_id: s.sessionId ?? trace?.sessionId ?? '',
        name: s.name,
        data_type: stored.dataType,
        value: stored.value,
        string_value: stored.label,
        source: s.source,
        evaluator: s.evaluator,
        evaluator_version: s.evaluatorVersion,
        comment: s.comment,
        author: s.author,
        error: s.error ?? '',
        release: s.release ?? span?.release ?? trace?.release ?? '',
        agent: span?.agent || trace?.agent || '',
        models: span?.model ? [span.model] : (trace?.models ?? []),
        queue_id: s.queueId ?? '',
        time: existing?.time ?? trace?.startTime ?? chTime(now),
        created_at: existing?.created_at ?? chTime(now),
        updated_at: chTime(now),
        version: Math.max(now, Number(existing?.version ?? 0) + 1),
        is_deleted: 0,
        // The root is not stored yet: release, agent and models are provisional (score-targets.ts).
        target_settled: span || !trace || trace.hasRoot || s.release !== undefined ? 1 : 0,
      }
      if (!row.target_settled || existing?.target_settled === 0) unsettled.add(row.trace_id)
      if (!existing) {
        rows.push(row)
        return { id: s.id, status: 'created' }
      }
      const conflict = conflictOf(existing, row)
      if (conflict) {
        conflicts.push(`scores[${i}]: ${conflict}`)
        return { id: s.id, status: 'unchanged' }
      }
      if (CONTENT.every((k) => String(existing[k]) === String(row[k]))) return { id: s.id, status: 'unchanged' }
      rows.push(row)
      return { id: s.id, status: 'updated' }
    })
    if (conflicts.length)
      throw new AppError(409, 'conflict', `Score ids already used: ${conflicts.slice(0, 20).join('; ')}`)
    await this.scores.write(
      rows,
      `scores:${projectId}:${createHash('sha256')
        .update(rows.map((r) => `${r.score_id}:${r.version}`).join(','))
        .digest('hex')}`,
    )
    // After the write: the resolver's pass that settles these scores must find them stored.
    if (unsettled.size > 0) await this.resolveAgain(projectId, [...unsettled])
    return results
  }

  /** Marks a score deleted (a newer version), keeping it in the history. */
  async delete(projectId: string, row: ScoreRow): Promise<void> {
    const now = nextVersionMs()
    const deleted: ScoreRow = {
      ...row,
      updated_at: chTime(now),
      version: Math.max(now, Number(row.version) + 1),
      is_deleted: 1,
    }
    await this.scores.write([deleted], `scores:${projectId}:${row.score_id}:${deleted.version}:delete`)
  }

  private async checkTargets(
    projectId: string,
    items: ReadonlyArray<ScoreToWrite & { id: string }>,
  ): Promise<{ traces: Map<string, TraceTarget>; spans: Map<string, SpanTarget> }> {
    const traceIds = [...new Set(items.flatMap((s) => (s.traceId ? [s.traceId] : [])))]
    const spanRefs = items.flatMap((s) => (s.traceId && s.spanId ? [{ traceId: s.traceId, spanId: s.spanId }] : []))
    const sessionIds = [...new Set(items.flatMap((s) => (s.sessionId && !s.traceId ? [s.sessionId] : [])))]
    const [traces, spans, sessions] = await Promise.all([
      this.scores.traceTargets(projectId, traceIds),
      this.scores.spanTargets(projectId, spanRefs),
      this.scores.knownSessions(projectId, sessionIds),
    ])
    const unknown: string[] = []
    items.forEach((s, i) => {
      if (s.traceId && !traces.has(s.traceId)) unknown.push(`scores[${i}]: no trace ${s.traceId} in this project`)
      else if (s.traceId && s.spanId && !spans.has(`${s.traceId}/${s.spanId}`))
        unknown.push(`scores[${i}]: no span ${s.spanId} in trace ${s.traceId}`)
      else if (!s.traceId && s.sessionId && !sessions.has(s.sessionId))
        unknown.push(`scores[${i}]: no session ${s.sessionId} in this project`)
    })
    // Another project's trace is unknown too: existence must not leak across projects.
    if (unknown.length)
      throw new AppError(
        404,
        'unknown_target',
        `${unknown.slice(0, 20).join('; ')}. A trace is known once its spans are stored (about a second after they ` +
          `were sent); retry then.`,
      )
    return { traces, spans }
  }
}

function conflictOf(existing: ScoreRow, next: ScoreRow): string | null {
  const target = (r: ScoreRow) => `${r.trace_id}/${r.span_id}/${r.session_id && !r.trace_id ? r.session_id : ''}`
  if (target(existing) !== target(next) || existing.name !== next.name) {
    return (
      `${existing.score_id} is ${existing.name} ` +
      `on ${existing.trace_id || `session ${existing.session_id}`}` +
      `${existing.span_id ? ` span ${existing.span_id}` : ''}; an id keeps its target and name`
    )
  }
  if (existing.source === 'human' && existing.author !== next.author)
    return `${existing.score_id} is ${existing.author}'s; reviewers change only their own scores`
  return null
}
