/**
 * The explorer's whole state as URL search params, so a link reproduces the view: time range
 * (a preset relative to now, or absolute from/to), filters (outcomes, tags, whether regression runs
 * are included), search, sort, pages loaded, live mode. Parsing is forgiving: an unknown value falls
 * back to the default rather than breaking the page. URL names are the API's (`status` holds
 * outcomes, `error` being the older spelling of `failed`; `regression=all`), so links mean the same
 * in the console and against the API.
 */
import type { TraceOutcome, TraceSort, TraceTag } from '@sightline/schema'
import { TraceOutcomeSchema, TraceSortSchema, TraceTagSchema } from '@sightline/schema'

export const RANGE_PRESETS = {
  '15m': 15 * 60_000,
  '1h': 3_600_000,
  '6h': 6 * 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
} as const
type RangePreset = keyof typeof RANGE_PRESETS

export const LIST_FILTERS = ['service', 'release', 'environment', 'agent', 'model', 'tool'] as const
export type ListFilter = (typeof LIST_FILTERS)[number]

export interface ExplorerQuery {
  range: RangePreset | 'custom'
  from: string
  to: string
  lists: Record<ListFilter, string[]>
  /** Any of these outcomes; empty = every outcome. */
  outcomes: TraceOutcome[]
  /** Any of these tags; empty = no tag filter. */
  tags: TraceTag[]
  /** Also list `sightline regress` traffic (the API lists production only by default). */
  includeRegression: boolean
  sessionId: string
  userId: string
  minCostUsd: string
  minDurationMs: string
  q: string
  /** Score filter, `<name>[<op><value>]` (see ScoreFilterSchema). */
  score: string
  sort: TraceSort
  order: 'asc' | 'desc'
  pages: number
  isLive: boolean
}

const DEFAULT_RANGE: RangePreset = '7d'
const PAGE_SIZE = 50

export function parseExplorerQuery(search: string): ExplorerQuery {
  const p = new URLSearchParams(search)
  const range = p.get('range')
  const from = p.get('from') ?? ''
  const to = p.get('to') ?? ''
  const isCustom = range === 'custom' || (!range && from !== '')
  const lists = Object.fromEntries(
    LIST_FILTERS.map((key) => [key, (p.get(key) ?? '').split(',').filter(Boolean)]),
  ) as Record<ListFilter, string[]>
  const outcomes = pickAll(
    csvOf(p.get('status')).map((v) => (v === 'error' ? 'failed' : v)),
    TraceOutcomeSchema.options,
  )
  const tags = pickAll(csvOf(p.get('tag')), TraceTagSchema.options)
  const sort = TraceSortSchema.safeParse(p.get('sort'))
  const pages = Number(p.get('pages'))
  return {
    range: isCustom ? 'custom' : range && range in RANGE_PRESETS ? (range as RangePreset) : DEFAULT_RANGE,
    from: isCustom ? from : '',
    to: isCustom ? to : '',
    lists,
    outcomes,
    tags,
    includeRegression: p.get('regression') === 'all',
    sessionId: p.get('sessionId') ?? '',
    userId: p.get('userId') ?? '',
    minCostUsd: numeric(p.get('minCostUsd')),
    minDurationMs: numeric(p.get('minDurationMs')),
    q: p.get('q') ?? '',
    score: p.get('score') ?? '',
    sort: sort.success ? sort.data : 'startTime',
    order: p.get('order') === 'asc' ? 'asc' : 'desc',
    pages: Number.isInteger(pages) && pages > 1 ? Math.min(pages, 20) : 1,
    isLive: p.get('live') === '1',
  }
}

const csvOf = (v: string | null) =>
  (v ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
/** Known values only, each once, in the schema's order (so equal filters serialise equally). */
function pickAll<T extends string>(values: string[], known: readonly T[]): T[] {
  return known.filter((k) => values.includes(k))
}

const numeric = (v: string | null) => (v && Number.isFinite(Number(v)) && Number(v) >= 0 ? v : '')

/** Only non-default values go into the URL, so links stay short. */
export function serializeExplorerQuery(q: ExplorerQuery): string {
  const p = new URLSearchParams()
  if (q.range === 'custom') {
    p.set('range', 'custom')
    if (q.from) p.set('from', q.from)
    if (q.to) p.set('to', q.to)
  } else if (q.range !== DEFAULT_RANGE) p.set('range', q.range)
  for (const key of LIST_FILTERS) if (q.lists[key].length) p.set(key, q.lists[key].join(','))
  const scalars: Array<[string, string]> = [
    ['status', q.outcomes.join(',')],
    ['tag', q.tags.join(',')],
    ['regression', q.includeRegression ? 'all' : ''],
    ['sessionId', q.sessionId],
    ['userId', q.userId],
    ['minCostUsd', q.minCostUsd],
    ['minDurationMs', q.minDurationMs],
    ['q', q.q],
    ['score', q.score],
  ]
  for (const [key, value] of scalars) if (value) p.set(key, value)
  if (q.sort !== 'startTime') p.set('sort', q.sort)
  if (q.order !== 'desc') p.set('order', q.order)
  if (q.pages > 1) p.set('pages', String(q.pages))
  if (q.isLive) p.set('live', '1')
  return p.toString()
}

/** Absolute bounds for a request; presets are relative to `now`. */
export function resolveRange(q: ExplorerQuery, now = Date.now()): { from?: string; to?: string } {
  if (q.range === 'custom') return { from: q.from || undefined, to: q.to || undefined }
  return { from: new Date(now - RANGE_PRESETS[q.range]).toISOString(), to: new Date(now).toISOString() }
}

/** The API's query params for one page (everything but the cursor). */
export function toListParams(q: ExplorerQuery, now = Date.now()): Record<string, string | undefined> {
  const { from, to } = resolveRange(q, now)
  const params: Record<string, string | undefined> = {
    from,
    to,
    sort: q.sort,
    order: q.order,
    limit: String(PAGE_SIZE),
  }
  for (const key of LIST_FILTERS) if (q.lists[key].length) params[key] = q.lists[key].join(',')
  if (q.outcomes.length) params['status'] = q.outcomes.join(',')
  if (q.tags.length) params['tag'] = q.tags.join(',')
  if (q.includeRegression) params['regression'] = 'all'
  if (q.sessionId) params['sessionId'] = q.sessionId
  if (q.userId) params['userId'] = q.userId
  if (q.minCostUsd) params['minCostUsd'] = q.minCostUsd
  if (q.minDurationMs) params['minDurationMs'] = q.minDurationMs
  if (q.q) params['q'] = q.q
  if (q.score) params['score'] = q.score
  return params
}

/** Clicking a header: a new column sorts descending, the same column flips the order. */
export function nextSort(q: ExplorerQuery, column: TraceSort): Pick<ExplorerQuery, 'sort' | 'order' | 'pages'> {
  return { sort: column, order: q.sort === column && q.order === 'desc' ? 'asc' : 'desc', pages: 1 }
}
