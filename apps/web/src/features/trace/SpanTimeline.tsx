/**
 * The tree and the waterfall as one virtualised list: each row is the tree cell (indent, toggle,
 * lane dot, name, badges) beside the span's bar, so both always show the same rows, selection and
 * expand/collapse. Only the rows in view are in the DOM (10k–100k spans).
 */
import { type Span } from '@sightline/schema'
import { flattenVisible, type CriticalSection, type SpanNode } from '@sightline/core'
import { useVirtualizer } from '@tanstack/react-virtual'
import { memo, useEffect, useMemo, useRef, type KeyboardEvent } from 'react'
import { formatDuration } from '../../lib/format'
import { useTraceViewStore } from '../../stores/trace-view-store'
import { navigate, type NavKey } from './keyboard-nav'
import { laneColour, type Badge, type TraceModel } from './trace-model'

const ROW_HEIGHT = 24
/** Deep agent loops would push names off-screen; past this depth the indent stops growing. */
const MAX_INDENT_DEPTH = 24
const NAV_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End'])

const BADGES: Record<Badge, { label: string; title: string }> = {
  llm: { label: 'LLM', title: 'A model call (counted)' },
  aggregate: { label: 'Σ USAGE', title: 'Repeats the usage of the model calls below it; not counted' },
  tool: { label: 'TOOL', title: 'A tool call (counted)' },
  mcp: { label: 'MCP', title: 'A tool call over MCP (counted once for both ends)' },
  part: { label: 'PART', title: 'Another span of a tool call counted on an enclosing span' },
  delegation: { label: 'DELEGATE', title: 'A hand-off to another agent (counted)' },
  a2a: { label: 'A2A', title: 'A hand-off to another agent over A2A (counted once for both ends)' },
  error: { label: 'ERR', title: 'Failed' },
  retry: { label: 'RETRY', title: 'Retries a failed call of the same tool' },
  orphan: { label: 'ORPHAN', title: 'Its parent span never arrived' },
}

export function SpanTimeline({ model }: { model: TraceModel }) {
  const collapsed = useTraceViewStore((s) => s.collapsed)
  const selectedId = useTraceViewStore((s) => s.selectedSpanId)
  const rows = useMemo(() => flattenVisible(model.tree, collapsed), [model, collapsed])
  const sectionsBySpan = useMemo(() => {
    const map = new Map<string, CriticalSection[]>()
    // Pushed, not copied: a long loop's orchestrator holds a section per stretch between its children.
    for (const s of model.critical.sections) {
      const list = map.get(s.spanId)
      if (list) list.push(s)
      else map.set(s.spanId, [s])
    }
    return map
  }, [model])
  const scrollRef = useRef<HTMLDivElement>(null)
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  })
  const selectedIndex = useMemo(
    () => (selectedId ? rows.findIndex((r) => r.span.spanId === selectedId) : -1),
    [rows, selectedId],
  )

  useEffect(() => {
    performance.mark('sightline.timeline.committed')
  }, [model])

  useEffect(() => {
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' })
  }, [selectedIndex, virtualizer])

  const onKeyDown = (event: KeyboardEvent) => {
    const store = useTraceViewStore.getState()
    if (event.key === 'Enter') {
      event.preventDefault()
      if (store.selectedSpanId) store.toggleInspector()
      return
    }
    if (!NAV_KEYS.has(event.key)) return
    event.preventDefault()
    const result = navigate(rows, store.selectedSpanId, event.key as NavKey, store.collapsed)
    if (!result) return
    if ('select' in result) store.selectSpan(result.select, false)
    else if ('collapse' in result) store.setCollapsed(result.collapse, true)
    else store.setCollapsed(result.expand, false)
  }

  const total = Math.max(model.endMs - model.startMs, 1e-6)
  return (
    <div className="timeline">
      <Ruler totalMs={total} />
      <div
        className="timeline-scroll"
        ref={scrollRef}
        tabIndex={0}
        role="tree"
        aria-label="Spans"
        aria-activedescendant={selectedId ? `row-${selectedId}` : undefined}
        data-testid="timeline-scroll"
        onKeyDown={onKeyDown}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const node = rows[item.index]!
            const id = node.span.spanId
            return (
              <SpanRow
                key={id}
                top={item.start}
                node={node}
                traceStart={model.startMs}
                totalMs={total}
                colour={laneColour(model, model.agentOf.get(id) ?? '')}
                agent={model.agentOf.get(id) ?? ''}
                badges={model.badges.get(id) ?? []}
                critical={sectionsBySpan.get(id)}
                isOnCriticalPath={model.critical.spanIds.has(id)}
                isSelected={id === selectedId}
                isCollapsed={collapsed.has(id)}
              />
            )
          })}
        </div>
      </div>
    </div>
  )
}

function Ruler({ totalMs }: { totalMs: number }) {
  const ticks = [0, 0.25, 0.5, 0.75, 1]
  return (
    <div className="timeline-row ruler">
      <div className="tree-cell">
        <span className="muted small">Span</span>
      </div>
      <div className="bar-cell">
        {ticks.map((t) => (
          <span key={t} className="tick" style={{ left: `${t * 100}%` }}>
            {formatDuration(totalMs * t)}
          </span>
        ))}
      </div>
    </div>
  )
}

interface RowProps {
  top: number
  node: SpanNode<Span>
  traceStart: number
  totalMs: number
  colour: string
  agent: string
  badges: Badge[]
  critical: CriticalSection[] | undefined
  isOnCriticalPath: boolean
  isSelected: boolean
  isCollapsed: boolean
}

const SpanRow = memo(function SpanRow({
  top,
  node,
  traceStart,
  totalMs,
  colour,
  agent,
  badges,
  critical,
  isOnCriticalPath,
  isSelected,
  isCollapsed,
}: RowProps) {
  const span = node.span
  const left = ((node.startMs - traceStart) / totalMs) * 100
  const width = Math.max(((node.endMs - node.startMs) / totalMs) * 100, 0.15)
  const hasChildren = node.children.length > 0
  const indent = Math.min(node.depth, MAX_INDENT_DEPTH) * 14
  const select = () => useTraceViewStore.getState().selectSpan(span.spanId)
  const isError = span.failed
  return (
    <div
      id={`row-${span.spanId}`}
      role="treeitem"
      aria-selected={isSelected}
      aria-expanded={hasChildren ? !isCollapsed : undefined}
      aria-level={node.depth + 1}
      data-span-id={span.spanId}
      className={`timeline-row${isSelected ? ' selected' : ''}${isError ? ' error' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      onClick={select}
    >
      <div
        className="tree-cell"
        style={{ paddingLeft: indent + 4 }}
        title={`${span.name}${agent ? ` · ${agent}` : ''}`}
      >
        {hasChildren ? (
          <button
            className="toggle"
            aria-label={isCollapsed ? 'Expand' : 'Collapse'}
            onClick={(e) => {
              e.stopPropagation()
              useTraceViewStore.getState().toggleCollapsed(span.spanId)
            }}
          >
            {isCollapsed ? '▸' : '▾'}
          </button>
        ) : (
          <span className="toggle-spacer" />
        )}
        {node.depth > MAX_INDENT_DEPTH && <span className="depth muted">{node.depth}</span>}
        <span className="lane-dot" style={{ background: colour }} />
        <span className={isOnCriticalPath ? 'span-name critical' : 'span-name'}>{span.name || '(unnamed)'}</span>
        {isCollapsed && <span className="muted small"> +{countDescendants(node)}</span>}
        {badges.map((b) => (
          <span
            key={b}
            className={`badge b-${b}`}
            title={b === 'error' && span.failureInferred ? 'Reported failed by a later model call' : BADGES[b].title}
          >
            {BADGES[b].label}
          </span>
        ))}
      </div>
      <div className="bar-cell">
        <div
          className="bar"
          style={{ left: `${left}%`, width: `${width}%`, background: isError ? 'var(--err)' : colour }}
        />
        {critical?.map((s) => (
          <div
            key={s.startMs}
            className="crit"
            style={{
              left: `${((s.startMs - traceStart) / totalMs) * 100}%`,
              width: `${Math.max(((s.endMs - s.startMs) / totalMs) * 100, 0.1)}%`,
            }}
          />
        ))}
        <span className={labelClass(left, width)} style={labelStyle(left, width)}>
          {formatDuration(span.durationMs)}
        </span>
      </div>
    </div>
  )
})

/** Duration label after the bar; near the right edge it goes before the bar, or inside a wide one. */
function labelStyle(left: number, width: number): React.CSSProperties {
  if (left + width <= 82) return { left: `${left + width}%` }
  if (left > 18) return { right: `${100 - left}%` }
  return { left: `${left}%` }
}
const labelClass = (left: number, width: number) => (left + width > 82 && left <= 18 ? 'bar-label inside' : 'bar-label')

function countDescendants(node: SpanNode<Span>): number {
  let count = 0
  const stack = [...node.children]
  while (stack.length) {
    const n = stack.pop()!
    count++
    for (const c of n.children) stack.push(c)
  }
  return count
}
