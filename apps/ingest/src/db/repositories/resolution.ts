/**
 * Store access of the trace resolver (src/resolve): the span facts of a batch of traces, their
 * current `traces` rows, the insert of new states, and the resolver's durable progress.
 */
import type { SpanRowRead } from '@sightline/schema'
import type { Store } from '../client.js'
import { dt64, ident, join, sql, str, strArray, u64 } from '../sql.js'
import type { FactRow } from '../../resolve/span-facts.js'
import type { TraceRow } from '../../resolve/trace-row.js'

export interface TraceBounds {
  traceId: string
  /** DateTime64(9) text of the earliest and latest span start. */
  startMin: string
  startMax: string
}

export interface QueueEntry {
  /** When the store queued it (store clock, Unix ms). */
  insertedMs: number
  projectId: string
  traceId: string
  /** '' for stored spans; 'reprice' when a price change asks for it. */
  reason: string
}

export interface TraceSpans {
  traceId: string
  rows: FactRow[]
  /** DateTime64 text: earliest start, latest end, last ingestion (max over spans). */
  startTime: string
  endTime: string
  lastIngested: string
  lastIngestedMs: number
}

/** The `spans` columns the facts are made of, read as they are stored. */
const FACT_NAMES = [
  'span_id',
  'parent_span_id',
  'name',
  'kind',
  'duration_ms',
  'status',
  'status_message',
  'error_type',
  'service_name',
  'service_version',
  'environment',
  'agent_name',
  'model',
  'is_llm_call',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'cache_write_tokens',
  'reasoning_tokens',
  'cost_usd',
  'cost_source',
  'is_unpriced',
  'tool_name',
  'tool_call_id',
  'tool_args_key',
  'session_id',
  'user_id',
  'flags',
  'input_preview',
  'output_preview',
  'reported_tool_errors',
  'trace_id',
] as const satisfies ReadonlyArray<keyof SpanRowRead>
// Rows come back as arrays (JSONCompactEachRow): a batch's spans are most of what the resolver reads,
// and named rows would repeat every column name in every row (about 40 % more text to write and parse).
const FACT_SELECT = sql`${join(
  FACT_NAMES.map((name) => sql`${ident(name, FACT_NAMES)}`),
  ', ',
)}, toString(start_time), toString(end_time), toString(ingested_at), toUnixTimestamp64Milli(ingested_at)`

type StoredFact = FactRow & { trace_id: string; ingested_text: string; ingested_ms: number }

function storedFact(values: unknown[]): StoredFact {
  const row: Record<string, unknown> = {}
  FACT_NAMES.forEach((name, i) => {
    row[name] = values[i]
  })
  const n = FACT_NAMES.length
  row.start_time = values[n]
  row.end_time = values[n + 1]
  row.ingested_text = values[n + 2]
  row.ingested_ms = Number(values[n + 3])
  return row as StoredFact
}

export class ResolutionRepository {
  constructor(private readonly store: Store) {}

  async bounds(projectId: string, traceIds: readonly string[]): Promise<TraceBounds[]> {
    const rows = await this.store.query<{ trace_id: string; start_min: string; start_max: string }>(sql`
      SELECT trace_id, toString(min(start_min)) AS start_min, toString(max(start_max)) AS start_max
      FROM trace_index WHERE project_id = ${str(projectId)} AND trace_id IN ${strArray([...traceIds])}
      GROUP BY trace_id`)
    return rows.map((r) => ({ traceId: r.trace_id, startMin: r.start_min, startMax: r.start_max }))
  }

  /** How many span rows each trace has in [from, to] (copies of a re-sent span included): sizes a read. */
  async spanCounts(
    projectId: string,
    traceIds: readonly string[],
    from: string,
    to: string,
  ): Promise<Map<string, number>> {
    const rows = await this.store.queryValues(sql`
      SELECT trace_id, count() FROM spans
      WHERE project_id = ${str(projectId)} AND trace_id IN ${strArray([...traceIds])}
        AND start_time >= ${dt64(from)} AND start_time <= ${dt64(to)}
      GROUP BY trace_id`)
    return new Map(rows.map(([traceId, n]) => [String(traceId), Number(n)]))
  }

  /**
   * Every span of the given traces (started in [from, to]), one copy per span id: a span sent twice
   * may sit in two parts until they merge; the newest copy wins, as it does in the table.
   */
  async spans(projectId: string, traceIds: readonly string[], from: string, to: string): Promise<TraceSpans[]> {
    const values = await this.store.queryValues(sql`
      SELECT ${FACT_SELECT} FROM spans
      WHERE project_id = ${str(projectId)} AND trace_id IN ${strArray([...traceIds])}
        AND start_time >= ${dt64(from)} AND start_time <= ${dt64(to)}`)
    const byTrace = new Map<string, Map<string, StoredFact>>()
    for (const row of values.map(storedFact)) {
      let spans = byTrace.get(row.trace_id)
      if (!spans) byTrace.set(row.trace_id, (spans = new Map()))
      const seen = spans.get(row.span_id)
      if (!seen || row.ingested_ms >= seen.ingested_ms) spans.set(row.span_id, row)
    }
    return [...byTrace].map(([traceId, spans]) => {
      const list = [...spans.values()]
      const last = list.reduce((a, b) => (b.ingested_ms > a.ingested_ms ? b : a))
      return {
        traceId,
        rows: list,
        startTime: list.reduce((min, r) => (r.start_time < min ? r.start_time : min), list[0]!.start_time),
        endTime: list.reduce((max, r) => (r.end_time > max ? r.end_time : max), list[0]!.end_time),
        lastIngested: last.ingested_text,
        lastIngestedMs: last.ingested_ms,
      }
    })
  }

  /**
   * The current state row of each trace, bounded by start time. Most traces of a batch have none yet
   * (their first resolution): a narrow read finds which do and their live version (the one whose
   * signs do not cancel), and only those rows are read whole, without FINAL's merge of every part.
   */
  async currentRows(
    projectId: string,
    traceIds: readonly string[],
    from: string,
    to: string,
  ): Promise<Map<string, TraceRow>> {
    const range = sql`project_id = ${str(projectId)}
      AND start_time >= toStartOfHour(${dt64(from)}) AND start_time <= ${dt64(to)}`
    const live = await this.store.queryValues(sql`
      SELECT trace_id, toString(max(version)) FROM (
        SELECT trace_id, version FROM traces WHERE ${range} AND trace_id IN ${strArray([...traceIds])}
        GROUP BY trace_id, version HAVING sum(sign) > 0)
      GROUP BY trace_id`)
    if (live.length === 0) return new Map()
    const keys = live.map(([traceId, version]) => `${String(traceId)}:${String(version)}`)
    const rows = await this.store.query<TraceRow & { trace_id: string }>(sql`
      SELECT * FROM traces
      WHERE ${range} AND trace_id IN ${strArray(live.map(([traceId]) => String(traceId)))} AND sign = 1
        AND concat(trace_id, ':', toString(version)) IN ${strArray(keys)}
      LIMIT 1 BY trace_id`)
    return new Map(rows.map((r) => [r.trace_id, r]))
  }

  /** States as JSONEachRow lines (resolve/trace-row.ts), inserted as one block under `dedupToken`. */
  async insertLines(lines: readonly string[], dedupToken: string): Promise<void> {
    if (lines.length === 0) return
    await this.store.insertJsonEachRow('traces', Buffer.from(lines.join('\n')), dedupToken)
  }

  /** Traces that received spans at or after `since` (DateTime64(3) text), in key order after `after`. */
  async activeSince(
    since: string,
    after: { projectId: string; traceId: string },
    limit: number,
  ): Promise<Array<{ projectId: string; traceId: string }>> {
    const rows = await this.store.query<{ project_id: string; trace_id: string }>(sql`
      SELECT project_id, trace_id FROM trace_index
      WHERE last_ingested >= toDateTime64(${str(since)}, 3, 'UTC')
        AND (project_id, trace_id) > (${str(after.projectId)}, ${str(after.traceId)})
      ORDER BY project_id, trace_id LIMIT ${u64(limit)}`)
    return rows.map((r) => ({ projectId: r.project_id, traceId: r.trace_id }))
  }

  /**
   * Traces still `running` whose last span came before `before`: due to be judged as settled. Bounded to
   * a week of start times; the sweep runs every minute, so an older running trace was settled long ago
   * or its root never ended (then it stays running).
   */
  async unsettled(before: string, limit: number): Promise<Array<{ projectId: string; traceId: string }>> {
    const rows = await this.store.query<{ project_id: string; trace_id: string }>(sql`
      SELECT project_id, trace_id FROM traces FINAL
      WHERE outcome = 'running' AND last_ingested < toDateTime64(${str(before)}, 3, 'UTC')
        AND start_time >= toDateTime64(${str(before)}, 3, 'UTC') - INTERVAL 7 DAY
      LIMIT ${u64(limit)}`)
    return rows.map((r) => ({ projectId: r.project_id, traceId: r.trace_id }))
  }

  /**
   * Queues for resolution every trace that called `model` since `fromIso` (a price changed); the
   * resolver's leader picks them up, whichever replica took the request. Returns how many.
   */
  async enqueueModelTraces(projectId: string, model: string, fromIso: string): Promise<number> {
    const where = sql`project_id = ${str(projectId)} AND has(models, ${str(model)})
      AND end_time >= parseDateTime64BestEffort(${str(fromIso)}, 9, 'UTC')`
    const [count] = await this.store.query<{ n: string | number }>(
      sql`SELECT uniqExact(trace_id) AS n FROM traces WHERE ${where}`,
    )
    const n = Number(count?.n ?? 0)
    if (n > 0) {
      await this.store.command(sql`
        INSERT INTO resolve_queue (inserted_at, project_id, trace_id, reason)
        SELECT now64(3), project_id, trace_id, 'reprice' FROM traces WHERE ${where} GROUP BY project_id, trace_id`)
    }
    return n
  }

  /** Queues these traces for resolution by whichever replica leads (`reason` says why, for the log). */
  async enqueueTraces(projectId: string, traceIds: readonly string[], reason: string): Promise<void> {
    if (traceIds.length === 0) return
    await this.store.command(sql`
      INSERT INTO resolve_queue (inserted_at, project_id, trace_id, reason)
      SELECT now64(3), ${str(projectId)}, arrayJoin(${strArray([...traceIds])}), ${str(reason)}`)
  }

  /** Queue entries at or after `since` (DateTime64(3) text), in queue order after `after`. */
  async queued(since: string, after: QueueEntry | undefined, limit: number): Promise<QueueEntry[]> {
    const rows = await this.store.query<{
      inserted_ms: string | number
      project_id: string
      trace_id: string
      reason: string
    }>(sql`
      SELECT toUnixTimestamp64Milli(inserted_at) AS inserted_ms, project_id, trace_id, reason FROM resolve_queue
      WHERE inserted_at >= toDateTime64(${str(since)}, 3, 'UTC')
        AND (toUnixTimestamp64Milli(inserted_at), project_id, trace_id)
          > (${u64(after?.insertedMs ?? 0)}, ${str(after?.projectId ?? '')}, ${str(after?.traceId ?? '')})
      ORDER BY inserted_at, project_id, trace_id LIMIT ${u64(limit)}`)
    return rows.map((r) => ({
      insertedMs: Number(r.inserted_ms),
      projectId: r.project_id,
      traceId: r.trace_id,
      reason: r.reason,
    }))
  }

  /** The store's clock (ms): the queue's times are the store's. */
  async storeNowMs(): Promise<number> {
    const [row] = await this.store.query<{ now_ms: string | number }>(
      sql`SELECT toUnixTimestamp64Milli(now64(3)) AS now_ms`,
    )
    return Number(row?.now_ms ?? Date.now())
  }

  async readState(name: string): Promise<string | undefined> {
    const rows = await this.store.query<{ value: string }>(
      sql`SELECT value FROM resolver_state FINAL WHERE name = ${str(name)}`,
    )
    return rows[0]?.value
  }

  async writeState(name: string, value: string): Promise<void> {
    await this.store.command(sql`INSERT INTO resolver_state (name, value) VALUES (${str(name)}, ${str(value)})`)
  }
}
