/**
 * @module span-tree
 * Pure span-tree building shared by the console and the CLI. Everything here is iterative: a
 * 100k-span agent loop can be 100k levels deep, which would overflow the stack of a recursive walk.
 */

/** The fields the tree needs; full spans and skeleton spans both fit. */
export interface TreeSpan {
  spanId: string
  parentSpanId: string
  startTime: string
  endTime: string
}

export interface SpanNode<S extends TreeSpan = TreeSpan> {
  span: S
  /** null for roots, orphans included. */
  parent: SpanNode<S> | null
  children: SpanNode<S>[]
  depth: number
  /** The span names a parent that is not in the set (not ingested yet, or dropped by the exporter). */
  isOrphan: boolean
  startMs: number
  endMs: number
}

export interface SpanTree<S extends TreeSpan = TreeSpan> {
  roots: SpanNode<S>[]
  byId: Map<string, SpanNode<S>>
  /** Earliest start and latest end over all spans (0 and 0 for an empty set). */
  startMs: number
  endMs: number
}

/**
 * ISO time → epoch milliseconds with sub-millisecond precision kept as a fraction.
 * `Date.parse` drops digits past the millisecond, and our spans carry nanoseconds.
 * @example isoToEpochMs('2024-01-02T03:04:05.123456789Z') // 1704164645123.4568
 */
export function isoToEpochMs(iso: string): number {
  const utc = utcIsoToEpochMs(iso)
  if (utc !== undefined) return utc
  const dot = iso.indexOf('.')
  if (dot < 0) return Date.parse(iso)
  let end = dot + 1
  while (end < iso.length && iso.charCodeAt(end) >= 48 && iso.charCodeAt(end) <= 57) end++
  const fraction = iso.slice(dot + 1, end)
  const wholeMs = Date.parse(iso.slice(0, dot) + iso.slice(end))
  return wholeMs + Number(`0.${fraction}`) * 1000
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const POWERS_OF_TEN = Array.from({ length: 16 }, (_, i) => 10 ** i)

/** `count` ASCII digits of `text` from `at` as a number, or -1. */
function digitsAt(text: string, at: number, count: number): number {
  let value = 0
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - 48
    if (digit < 0 || digit > 9) return -1
    value = value * 10 + digit
  }
  return value
}

/**
 * The whole seconds of a UTC time, `YYYY-MM-DDTHH:MM:SS` or the store's `YYYY-MM-DD HH:MM:SS` (the
 * first 19 characters of `text`), as epoch ms by Date.UTC of its digits: what Date.parse gives for
 * it, at a fraction of the cost over 100k spans. Undefined for anything else, and for what Date.UTC
 * would read differently (years below 1000, a day past its month's end, 24:00, leap seconds).
 */
export function utcSecondsToEpochMs(text: string): number | undefined {
  if (text.length < 19) return undefined
  const separator = text.charCodeAt(10)
  if (separator !== 84 && separator !== 32) return undefined
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58) return undefined
  if (text.charCodeAt(16) !== 58) return undefined
  const year = digitsAt(text, 0, 4)
  const month = digitsAt(text, 5, 2)
  const day = digitsAt(text, 8, 2)
  const hour = digitsAt(text, 11, 2)
  const minute = digitsAt(text, 14, 2)
  const second = digitsAt(text, 17, 2)
  if (year < 1000 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23) return undefined
  if (minute < 0 || minute > 59 || second < 0 || second > 59) return undefined
  const leapDay = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 1 : 0
  if (day > DAYS_IN_MONTH[month - 1]! + leapDay) return undefined
  return Date.UTC(year, month - 1, day, hour, minute, second)
}

/**
 * The common form, `YYYY-MM-DDTHH:MM:SS[.f…]Z` (every time the store and the API give), read digit
 * by digit: the general path's slicing and two parses cost a 10k-span trace view ~20 ms of its
 * first paint. Gives exactly the general path's number (f / 10^k is the same correctly rounded
 * double as `Number('0.f')` up to 15 digits); anything else returns undefined and takes that path.
 */
function utcIsoToEpochMs(iso: string): number | undefined {
  const n = iso.length
  if (n < 20 || iso.charCodeAt(n - 1) !== 90 || iso.charCodeAt(10) !== 84) return undefined
  const wholeMs = utcSecondsToEpochMs(iso)
  if (wholeMs === undefined) return undefined
  if (n === 20) return wholeMs
  const fractionDigits = n - 21
  if (iso.charCodeAt(19) !== 46 || fractionDigits < 1 || fractionDigits > 15) return undefined
  const fraction = digitsAt(iso, 20, fractionDigits)
  return fraction < 0 ? undefined : wholeMs + (fraction / POWERS_OF_TEN[fractionDigits]!) * 1000
}

const byStart = <S extends TreeSpan>(a: SpanNode<S>, b: SpanNode<S>) =>
  a.startMs - b.startMs || a.endMs - b.endMs || (a.span.spanId < b.span.spanId ? -1 : 1)

/**
 * Builds the parent/child tree. Roots are spans with no parent or whose parent is missing (flagged
 * `isOrphan`); children and roots are sorted by start time. Duplicate span ids keep the first.
 * Parent cycles (corrupt data) are broken by promoting one member to an orphan root.
 * @example const { roots } = buildSpanTree(spans)
 */
export function buildSpanTree<S extends TreeSpan>(spans: readonly S[]): SpanTree<S> {
  const byId = new Map<string, SpanNode<S>>()
  let startMs = Infinity
  let endMs = -Infinity
  for (const span of spans) {
    if (byId.has(span.spanId)) continue
    const s = isoToEpochMs(span.startTime)
    const e = Math.max(s, isoToEpochMs(span.endTime))
    byId.set(span.spanId, { span, parent: null, children: [], depth: 0, isOrphan: false, startMs: s, endMs: e })
    if (s < startMs) startMs = s
    if (e > endMs) endMs = e
  }
  const roots: SpanNode<S>[] = []
  for (const node of byId.values()) {
    const parentId = node.span.parentSpanId
    const parent = parentId && parentId !== node.span.spanId ? byId.get(parentId) : undefined
    if (parent) {
      node.parent = parent
      parent.children.push(node)
    } else {
      // A parent id that is missing, or the span itself, makes an orphan root.
      node.isOrphan = parentId !== ''
      roots.push(node)
    }
  }
  for (const node of byId.values()) if (node.children.length > 1) node.children.sort(byStart)
  roots.sort(byStart)
  let visited = assignDepths(roots)
  if (visited < byId.size) visited += breakCycles(byId, roots)
  return { roots, byId, startMs: byId.size ? startMs : 0, endMs: byId.size ? endMs : 0 }
}

/** Sets `depth` from the given roots down; returns how many nodes it reached. */
function assignDepths<S extends TreeSpan>(roots: SpanNode<S>[]): number {
  const stack = [...roots]
  let count = 0
  while (stack.length) {
    const node = stack.pop()!
    count++
    node.depth = node.parent ? node.parent.depth + 1 : 0
    for (const child of node.children) stack.push(child)
  }
  return count
}

/** Nodes unreachable from any root sit on a parent cycle: cut each cycle at one node. */
function breakCycles<S extends TreeSpan>(byId: Map<string, SpanNode<S>>, roots: SpanNode<S>[]): number {
  const reached = new Set<SpanNode<S>>()
  const mark = (from: SpanNode<S>[]) => {
    const stack = [...from]
    while (stack.length) {
      const node = stack.pop()!
      reached.add(node)
      for (const child of node.children) stack.push(child)
    }
  }
  mark(roots)
  let added = 0
  for (const node of byId.values()) {
    if (reached.has(node)) continue
    const parent = node.parent
    if (parent) parent.children.splice(parent.children.indexOf(node), 1)
    node.parent = null
    node.isOrphan = true
    roots.push(node)
    added += assignDepths([node])
    mark([node])
  }
  roots.sort(byStart)
  return added
}

/**
 * The rows a tree view shows: depth-first, children in start order, skipping the descendants of
 * collapsed spans.
 * @example flattenVisible(tree, new Set([rootId])) // only the roots
 */
export function flattenVisible<S extends TreeSpan>(tree: SpanTree<S>, collapsed: ReadonlySet<string>): SpanNode<S>[] {
  const rows: SpanNode<S>[] = []
  const stack: SpanNode<S>[] = []
  for (let i = tree.roots.length - 1; i >= 0; i--) stack.push(tree.roots[i]!)
  while (stack.length) {
    const node = stack.pop()!
    rows.push(node)
    if (collapsed.has(node.span.spanId)) continue
    for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i]!)
  }
  return rows
}

/** Every span id with children: the set that collapses a tree down to its roots. */
export function spansWithChildren<S extends TreeSpan>(tree: SpanTree<S>): string[] {
  const ids: string[] = []
  for (const node of tree.byId.values()) if (node.children.length) ids.push(node.span.spanId)
  return ids
}
