/**
 * Tree keyboard navigation as a pure function of the visible rows (WAI-ARIA tree pattern):
 * ↑/↓ move, → expands a collapsed span or steps into its first child, ← collapses an open span or
 * steps to its parent. Enter is handled by the caller (toggles the inspector).
 */
import type { Span } from '@sightline/schema'
import type { SpanNode } from '@sightline/core'

export type NavKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight' | 'Home' | 'End'

export type NavResult = { select: string } | { collapse: string } | { expand: string } | null

export function navigate(
  rows: readonly SpanNode<Span>[],
  selectedId: string | null,
  key: NavKey,
  collapsed: ReadonlySet<string>,
): NavResult {
  if (rows.length === 0) return null
  const index = selectedId === null ? -1 : rows.findIndex((r) => r.span.spanId === selectedId)
  if (key === 'Home') return { select: rows[0]!.span.spanId }
  if (key === 'End') return { select: rows[rows.length - 1]!.span.spanId }
  if (index < 0) return { select: rows[0]!.span.spanId }
  const node = rows[index]!
  const id = node.span.spanId
  switch (key) {
    case 'ArrowUp':
      return index > 0 ? { select: rows[index - 1]!.span.spanId } : null
    case 'ArrowDown':
      return index < rows.length - 1 ? { select: rows[index + 1]!.span.spanId } : null
    case 'ArrowRight':
      if (node.children.length === 0) return null
      return collapsed.has(id) ? { expand: id } : { select: node.children[0]!.span.spanId }
    case 'ArrowLeft':
      if (node.children.length > 0 && !collapsed.has(id)) return { collapse: id }
      return node.parent ? { select: node.parent.span.spanId } : null
  }
}
