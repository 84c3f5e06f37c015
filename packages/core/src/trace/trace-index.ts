/**
 * @module trace/trace-index
 * Parent/child links over span facts, built once per resolution. Iterative everywhere: an agent
 * loop can nest 100k spans deep, which would overflow a recursive walk.
 */
import type { SpanFacts } from './span-facts.js'

export interface TraceIndex {
  /** Deduplicated by span id (the first copy wins: copies of one span are the same span). */
  spans: SpanFacts[]
  byId: Map<string, SpanFacts>
  parentOf: Map<string, SpanFacts | undefined>
  childrenOf: Map<string, SpanFacts[]>
  /** Spans with no parent in the set: true roots (no parent id) first, then orphans; by start. */
  tops: SpanFacts[]
  /** Every span, parents before children, siblings by start time. */
  preorder: SpanFacts[]
}

const byStart = (a: SpanFacts, b: SpanFacts) =>
  a.startMs - b.startMs || a.endMs - b.endMs || (a.spanId < b.spanId ? -1 : 1)

export function indexTrace(input: readonly SpanFacts[]): TraceIndex {
  const byId = new Map<string, SpanFacts>()
  for (const span of input) if (!byId.has(span.spanId)) byId.set(span.spanId, span)
  const spans = [...byId.values()]
  const parentOf = new Map<string, SpanFacts | undefined>()
  const childrenOf = new Map<string, SpanFacts[]>()
  const tops: SpanFacts[] = []
  for (const span of spans) {
    const parent = span.parentSpanId && span.parentSpanId !== span.spanId ? byId.get(span.parentSpanId) : undefined
    parentOf.set(span.spanId, parent)
    if (!parent) tops.push(span)
    else {
      const siblings = childrenOf.get(parent.spanId)
      if (siblings) siblings.push(span)
      else childrenOf.set(parent.spanId, [span])
    }
  }
  for (const children of childrenOf.values()) children.sort(byStart)
  tops.sort((a, b) => Number(a.parentSpanId !== '') - Number(b.parentSpanId !== '') || byStart(a, b))
  const preorder = walk(tops, childrenOf)
  // Parent cycles (corrupt input) leave spans unreached from any top: promote them to tops.
  if (preorder.length < spans.length) {
    const seen = new Set(preorder.map((s) => s.spanId))
    for (const span of spans.filter((s) => !seen.has(s.spanId)).sort(byStart)) {
      if (seen.has(span.spanId)) continue
      parentOf.set(span.spanId, undefined)
      tops.push(span)
      for (const reached of walk([span], childrenOf, seen)) {
        seen.add(reached.spanId)
        preorder.push(reached)
      }
    }
  }
  return { spans, byId, parentOf, childrenOf, tops, preorder }
}

function walk(starts: readonly SpanFacts[], childrenOf: Map<string, SpanFacts[]>, skip?: Set<string>): SpanFacts[] {
  const out: SpanFacts[] = []
  const visited = new Set<string>()
  const stack = [...starts].reverse()
  while (stack.length > 0) {
    const span = stack.pop()!
    if (visited.has(span.spanId) || skip?.has(span.spanId)) continue
    visited.add(span.spanId)
    out.push(span)
    const children = childrenOf.get(span.spanId)
    if (children) for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!)
  }
  return out
}

/** The span itself and every descendant, parents first. */
export function subtree(index: TraceIndex, top: SpanFacts): SpanFacts[] {
  return walk([top], index.childrenOf)
}
