/**
 * @module critical-path
 * The critical path of a trace, after Jaeger's algorithm (jaeger-ui `TraceCriticalPath`): start at
 * the root's end, step into the child that finishes last, and when a span has no child finishing
 * before the point we came back from, its own time down to its start is critical and focus returns
 * to its parent at that span's start. Children are first clipped to their parent (Jaeger's
 * "sanitizeOverFlowingChildren"): an async child that outlives its parent cannot make the parent
 * late. Iterative, so a 100k-deep agent loop cannot overflow the stack.
 */
import type { SpanNode, SpanTree, TreeSpan } from './span-tree.js'

export interface CriticalSection {
  spanId: string
  startMs: number
  endMs: number
}

export interface CriticalPath {
  /** Latest first, as the walk finds them. */
  sections: CriticalSection[]
  /** Every span the walk passed through, including ones fully covered by their children. */
  spanIds: Set<string>
}

interface Clipped<S extends TreeSpan> {
  node: SpanNode<S>
  start: number
  end: number
  /** Clipped children that start inside the parent, latest end first. */
  children: Clipped<S>[]
  /** The clipped parent (null for the top). */
  parent: Clipped<S> | null
  /** The first child still eligible for the walk. */
  cursor: number
}

function clipTree<S extends TreeSpan>(root: SpanNode<S>): Clipped<S> {
  const top: Clipped<S> = { node: root, start: root.startMs, end: root.endMs, children: [], parent: null, cursor: 0 }
  const stack = [top]
  while (stack.length) {
    const parent = stack.pop()!
    for (const child of parent.node.children) {
      // A child that starts after its parent ended cannot delay it (fire-and-forget work).
      if (child.startMs > parent.end) continue
      const clipped: Clipped<S> = {
        node: child,
        start: Math.max(child.startMs, parent.start),
        end: Math.min(child.endMs, parent.end),
        children: [],
        parent,
        cursor: 0,
      }
      parent.children.push(clipped)
      stack.push(clipped)
    }
    parent.children.sort((a, b) => b.end - a.end || b.start - a.start)
  }
  return top
}

/**
 * Critical path from the root that ends last (other roots, usually orphans, are not on it).
 * @example criticalPath(buildSpanTree(spans)).spanIds.has(spanId)
 */
export function criticalPath<S extends TreeSpan>(tree: SpanTree<S>): CriticalPath {
  let root: SpanNode<S> | undefined
  for (const r of tree.roots) if (!root || r.endMs > root.endMs) root = r
  const sections: CriticalSection[] = []
  if (!root) return { sections, spanIds: new Set() }
  const top = clipTree(root)
  // Per span, the first child still eligible (`cursor`). The point we return to only moves back in
  // time, so a child skipped once (ends too late) or taken once stays out: linear even for 100k siblings.
  const chain = new Set<string>()
  let current: Clipped<S> | undefined = top
  let returningStart: number | undefined
  while (current) {
    const focus: Clipped<S> = current
    chain.add(focus.node.span.spanId)
    const upTo: number = returningStart ?? focus.end
    let i = focus.cursor
    // `<=`, not Jaeger's `<`: sequential steps share a boundary when times are rounded.
    while (i < focus.children.length && focus.children[i]!.end > upTo) i++
    const next = focus.children[i]
    focus.cursor = i + 1
    if (next) {
      if (next.end !== upTo) sections.push({ spanId: focus.node.span.spanId, startMs: next.end, endMs: upTo })
      current = next
      returningStart = undefined
    } else {
      if (focus.start !== upTo) sections.push({ spanId: focus.node.span.spanId, startMs: focus.start, endMs: upTo })
      current = focus.parent ?? undefined
      returningStart = focus.start
    }
  }
  return { sections, spanIds: chain }
}
