/** What every measured answer of the query bench must satisfy, besides being fast. */
export interface Variant {
  name: string
  query: string
  sort: 'startTime' | 'costUsd'
  fromMs?: number
  agent?: string
  model?: string
  outcome?: string
  minCost?: number
  /** `q=`: every listed trace holds this text (any case) in its summary or one of its spans. */
  text?: string
}

/** A list answer's trace ids, and those of the page after it (through its cursor). */
export interface Page {
  ids: string[]
  next: string[]
}

interface Row {
  traceId: string
  name: string
  inputPreview: string
  outputPreview: string
  failureReason: string
  startTime: string
  costUsd: number | null
  agents: string[]
  models: string[]
  outcome: string
  spanCount: number
}

/** Negative when `a` may not come before `b` (descending sort value, then descending trace id). */
function order(v: Variant, a: Row, b: Row): number {
  // ISO text of equal width compares as the nanosecond time it spells.
  const by = v.sort === 'costUsd' ? (a.costUsd ?? 0) - (b.costUsd ?? 0) : a.startTime.localeCompare(b.startTime)
  return by !== 0 ? by : a.traceId.localeCompare(b.traceId)
}

/** What GET /api/v1/traces/{id} answers, as far as the checks read it. */
export interface TraceSpans {
  spans: Array<{
    name: string
    input: string
    output: string
    toolArguments: string
    toolResult: string
    statusMessage: string
  }>
}

/** Whether the trace holds `text` where text search looks (trace-list.ts `textSearch`), any case. */
function holdsText(text: string, row: Row, trace: TraceSpans): boolean {
  const needle = text.toLowerCase()
  const fields = [row.name, row.inputPreview, row.outputPreview, row.failureReason]
  for (const s of trace.spans) fields.push(s.name, s.input, s.output, s.toolArguments, s.toolResult, s.statusMessage)
  return fields.some((f) => f.toLowerCase().includes(needle))
}

/**
 * Ordering (newest or costliest first, ties by trace id descending, continued by the next page), no
 * trace twice, every row matching the filter (for text search: its summary or spans hold the text),
 * and the summary's span count equal to what GET by id returns for the first rows.
 */
export async function checkPage(
  v: Variant,
  rows: Row[],
  next: Row[],
  traceOf: (id: string) => Promise<TraceSpans | undefined>,
): Promise<string[]> {
  const problems: string[] = []
  if (rows.length === 0) problems.push('empty page')
  const all = [...rows, ...next]
  if (new Set(all.map((r) => r.traceId)).size !== all.length) problems.push('a trace listed twice (page + next page)')
  for (let i = 1; i < all.length; i++) {
    if (order(v, all[i - 1]!, all[i]!) < 0) {
      problems.push(`out of order at row ${i}`)
      break
    }
  }
  for (const r of all) {
    if (v.fromMs !== undefined && Date.parse(r.startTime) < v.fromMs)
      problems.push(`${r.traceId} starts before the range`)
    if (v.agent && !r.agents.includes(v.agent)) problems.push(`${r.traceId} lacks agent ${v.agent}`)
    if (v.model && !r.models.includes(v.model)) problems.push(`${r.traceId} lacks model ${v.model}`)
    if (v.outcome && r.outcome !== v.outcome) problems.push(`${r.traceId} is ${r.outcome}`)
    if (v.minCost !== undefined && (r.costUsd ?? 0) < v.minCost) problems.push(`${r.traceId} costs ${r.costUsd}`)
  }
  for (const [i, r] of all.entries()) {
    // Span counts of the first rows; the text of every row of a search (both pages).
    if (i >= 10 && v.text === undefined) break
    const trace = await traceOf(r.traceId)
    const spans = trace?.spans.length ?? -1
    if (i < 10 && spans !== r.spanCount)
      problems.push(`${r.traceId}: summary says ${r.spanCount} spans, by id ${spans}`)
    if (v.text !== undefined && (!trace || !holdsText(v.text, r, trace)))
      problems.push(`${r.traceId} does not hold "${v.text}"`)
  }
  return problems
}

/** Differences between two runs' pages of the same variants on the same data (exactness across code versions). */
export function comparePages(a: Record<string, Page>, b: Record<string, Page>): string[] {
  const diffs: string[] = []
  for (const [name, page] of Object.entries(a)) {
    const other = b[name]
    if (!other) continue
    if (page.ids.join() !== other.ids.join() || page.next.join() !== other.next.join())
      diffs.push(`${name}: different pages`)
  }
  return diffs
}
