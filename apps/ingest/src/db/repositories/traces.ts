import type { SpanRowRead } from '@sightline/schema'
import type { Store } from '../client.js'
import { dt64, ident, join, sql, str, u64, type SqlFragment } from '../sql.js'

/**
 * One trace's spans. The spans table is ordered by time first, so a trace is found through the
 * trace-id lookup table (its time bounds), then read from those hours only. What the trace means
 * is resolved from these rows by src/resolve/trace-reader.ts.
 */
export class TraceRepository {
  constructor(private readonly store: Store) {}

  /** Time bounds of a trace from the trace-id lookup table, or undefined if the project has no such trace. */
  async bounds(
    projectId: string,
    traceId: string,
  ): Promise<{ from: string; to: string; lastIngestedMs: number; indexRows: number } | undefined> {
    const rows = await this.store.query<{ from: string; to: string; last_ms: string; n: string }>(sql`
      SELECT toString(min(start_min)) AS from, toString(max(start_max)) AS to,
        toUnixTimestamp64Milli(max(last_ingested)) AS last_ms, count() AS n
      FROM trace_index WHERE project_id = ${str(projectId)} AND trace_id = ${str(traceId)}`)
    const row = rows[0]
    // `indexRows` grows with every insert of the trace's spans, even within one millisecond.
    return row && Number(row.n) > 0
      ? { from: row.from, to: row.to, lastIngestedMs: Number(row.last_ms), indexRows: Number(row.n) }
      : undefined
  }

  /** The trace's spans (one copy each, bounded to the trace's hours) and when it last received any. */
  async get(
    projectId: string,
    traceId: string,
    view: 'full' | 'skeleton' = 'full',
  ): Promise<{ rows: SpanRowRead[]; lastIngestedMs: number } | undefined> {
    const bounds = await this.bounds(projectId, traceId)
    if (!bounds) return undefined
    return { rows: await this.rows(projectId, traceId, view, bounds), lastIngestedMs: bounds.lastIngestedMs }
  }

  /** The spans of a trace whose bounds are known (`bounds`). */
  async rows(
    projectId: string,
    traceId: string,
    view: 'full' | 'skeleton',
    bounds: { from: string; to: string },
  ): Promise<SpanRowRead[]> {
    if (view === 'skeleton') {
      const columns = await this.skeleton(projectId, traceId, bounds)
      return Array.from({ length: columns.count }, (_, i) => skeletonRowAt(projectId, traceId, columns, i))
    }
    return this.store.query<SpanRowRead>(oneCopyEach(FULL_SPAN_COLUMNS, projectId, traceId, bounds))
  }

  /**
   * The skeleton of a trace whose bounds are known, as one array per column (row order: start, span id);
   * with `limit`, its first `limit` spans in that order only.
   */
  async skeleton(
    projectId: string,
    traceId: string,
    bounds: { from: string; to: string },
    limit?: number,
  ): Promise<SkeletonColumns> {
    // The first spans are scattered over the trace's granules (rows are in span id order within an
    // hour): their ids are found reading the start times alone, then only their rows are read in full.
    // Ordering every skeleton row of the trace and keeping the first instead took as long as reading
    // the whole trace (seconds at 100k spans, against ~0.2 s this way).
    const first =
      limit === undefined
        ? sql``
        : sql`AND span_id IN (
            SELECT span_id FROM spans WHERE ${traceRows(projectId, traceId, bounds)}
            ORDER BY start_time, span_id LIMIT 1 BY span_id LIMIT ${u64(limit)})`
    const read = await this.store.queryColumns(oneCopyEach(SKELETON_SELECT, projectId, traceId, bounds, first))
    const skeleton: Record<string, unknown> = { count: read.rows }
    for (const column of SKELETON_READ) {
      // An empty result may come without its columns' arrays.
      const values = read.columns[column] ?? (read.rows === 0 ? [] : undefined)
      if (values?.length !== read.rows) throw new Error(`skeleton read: column ${column} is not ${read.rows} values`)
      skeleton[column] = values
    }
    return skeleton as SkeletonColumns
  }

  /** One span in full, from a trace whose bounds are known. */
  async span(
    projectId: string,
    traceId: string,
    spanId: string,
    bounds: { from: string; to: string },
  ): Promise<SpanRowRead | undefined> {
    const rows = await this.store.query<SpanRowRead>(
      oneCopyEach(FULL_SPAN_COLUMNS, projectId, traceId, bounds, sql`AND span_id = ${str(spanId)}`),
    )
    return rows[0]
  }
}

/**
 * The trace's spans in time order, each once, without FINAL. FINAL filters after reading every
 * column of the granules the key range selects; without it the trace id filter runs first
 * (PREWHERE) and the other columns are read for the trace's rows only: 8.0 → 1.5 MB read for an
 * 8-span trace of the 200k-span bench data (BENCHMARKS.md, "Text search and trace by id"). A span
 * stored twice and not merged yet (an exporter's retry) is kept once, its newest copy, which is
 * the copy ReplacingMergeTree(ingested_at) keeps.
 */
function oneCopyEach(
  columns: SqlFragment,
  projectId: string,
  traceId: string,
  bounds: { from: string; to: string },
  extra: SqlFragment = sql``,
): SqlFragment {
  return sql`SELECT * EXCEPT (copy_at) FROM (
      SELECT ${columns}, ingested_at AS copy_at FROM spans
      WHERE ${traceRows(projectId, traceId, bounds)} ${extra}
      ORDER BY copy_at DESC
      LIMIT 1 BY toStartOfHour(start_time), span_id)
    ORDER BY start_time, span_id`
}

/** The `spans` rows of one trace, bounded to its hours (the table's ordering key). */
function traceRows(projectId: string, traceId: string, bounds: { from: string; to: string }): SqlFragment {
  return sql`project_id = ${str(projectId)} AND trace_id = ${str(traceId)}
    AND start_time >= toStartOfHour(${dt64(bounds.from)}) AND start_time <= ${dt64(bounds.to)}`
}

const FULL_SPAN_COLUMNS = sql`* EXCEPT (ingested_at)`

/**
 * What a timeline of 100k spans and its resolution read: no message text, payloads or attribute maps,
 * and not the columns no skeleton reader uses. Read in columns (Store.queryColumns): at 100k spans the
 * row objects' repeated keys were most of the text the store wrote and this process parsed, and one
 * parse of the whole result beats one per row.
 */
const SKELETON_READ = [
  'span_id',
  'parent_span_id',
  'name',
  'kind',
  'start_time',
  'end_time',
  'duration_ms',
  'status',
  'status_message',
  'error_type',
  'service_name',
  'service_version',
  'environment',
  'agent_name',
  'operation',
  'model',
  'provider',
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
  'session_id',
  'user_id',
  'flags',
  'input_preview',
  'output_preview',
  'tool_args_key',
  'reported_tool_errors',
] as const satisfies ReadonlyArray<keyof SpanRowRead>
const SKELETON_SELECT = join(
  SKELETON_READ.map((column) => sql`${ident(column, SKELETON_READ)}`),
  ', ',
)

type SkeletonColumn = (typeof SKELETON_READ)[number]
/**
 * A trace's skeleton in columns: `count` spans, and for each column read one array of its values as
 * the store writes them in JSON (64-bit integers as text, decimals as numbers or text).
 */
export type SkeletonColumns = { count: number } & { readonly [K in SkeletonColumn]: ReadonlyArray<SpanRowRead[K]> }

/**
 * Span `i` of a skeleton as a row: the columns read, the trace's own ids, and empty values for what a
 * skeleton leaves out (payloads, attributes, events, links) or no skeleton reader uses (trace state,
 * scope, OTel kind).
 */
export function skeletonRowAt(projectId: string, traceId: string, columns: SkeletonColumns, i: number): SpanRowRead {
  const row: Record<string, unknown> = {
    project_id: projectId,
    trace_id: traceId,
    trace_state: '',
    otel_kind: 0,
    scope_name: '',
    scope_version: '',
    input: '',
    output: '',
    tool_arguments: '',
    tool_result: '',
    attributes: {},
    resource_attributes: {},
    events: '[]',
    links: '[]',
  }
  for (const column of SKELETON_READ) row[column] = columns[column][i]
  return row as unknown as SpanRowRead
}
