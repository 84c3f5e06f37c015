/**
 * `/registry/map?range=&q=&focus=`: the fleet map. Agents → agents (A2A) and agents → tools (MCP or
 * local) over the range; edge width by calls, colour by error rate. Large tool groups are clusters
 * until expanded; search marks nodes (and opens their groups); focusing a node keeps its
 * neighbourhood. Clicking an edge lists the traces behind it.
 */
import { useEffect, useMemo, useState } from 'react'
import type { FleetEdge } from '@sightline/schema'
import { Link, useLocation, useSearch } from 'wouter'
import { useQuery } from '../../api/use-query'
import { Empty, ErrorState, Loading } from '../../components/States'
import { formatCost, formatDuration, formatTimestamp } from '../../lib/format'
import { RangePicker } from '../registry/RangePicker'
import { registryApi } from '../registry/registry-api'
import { rangeFromSearch, withParams, type RegistryRange } from '../registry/registry-url'
import '../dashboards/dashboards.css'
import '../registry/registry.css'
import { errorColour, layoutFleet, NODE_H, NODE_W, type PlacedEdge, type PlacedNode } from './fleet-layout'

/** Tool groups larger than this start as one cluster node. */
const COLLAPSE_OVER = 12
const rate = (r: number | null) => (r === null ? '–' : `${(r * 100).toFixed(1)} %`)

function EdgeTraces({ edge, range }: { edge: FleetEdge; range: RegistryRange }) {
  const kind = edge.kind === 'a2a' ? 'agent_agent' : 'agent_tool'
  const traces = useQuery(`${edge.id}|${range.from}|${range.to}`, (signal) =>
    registryApi.edgeTraces(range, { kind, source: edge.sourceName, target: edge.targetName }, signal),
  )
  return (
    <div>
      <h3>
        Traces behind {edge.sourceName || 'unattributed'} → {edge.targetName}
      </h3>
      {traces.error ? (
        <ErrorState error={traces.error} />
      ) : !traces.data ? (
        <Loading />
      ) : traces.data.traces.length === 0 ? (
        <p className="muted">None in this range.</p>
      ) : (
        <ul className="edge-traces" aria-label="Edge traces">
          {traces.data.traces.map((t) => (
            <li key={t.traceId}>
              <Link href={`/traces/${t.traceId}`}>{t.name || t.traceId.slice(0, 8)}</Link>{' '}
              <span className={`pill${t.outcome === 'failed' ? ' err' : t.outcome === 'ok' ? ' ok' : ''}`}>
                {t.outcome}
              </span>
              <div className="small muted">
                {formatTimestamp(t.startTime)} · {formatDuration(t.durationMs)} · {formatCost(t.costUsd)}
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

function EdgePanel({ edge, range }: { edge: PlacedEdge; range: RegistryRange }) {
  const [picked, setPicked] = useState(0)
  const current = edge.edges[Math.min(picked, edge.edges.length - 1)]!
  return (
    <>
      <h2>
        {edge.kind.toUpperCase()} · {edge.calls.toLocaleString('en-US')} calls · {rate(edge.errorRate)} errors
      </h2>
      {edge.edges.length > 1 && (
        <select aria-label="Edge" value={picked} onChange={(e) => setPicked(Number(e.target.value))}>
          {edge.edges.map((e, i) => (
            <option key={e.id} value={i}>
              {e.targetName}: {e.calls} calls
            </option>
          ))}
        </select>
      )}
      <div className="small">
        p95 {current.p95Ms === null ? '–' : formatDuration(current.p95Ms)}
        {current.kind === 'a2a' ? ` · delegated cost ${formatCost(current.costUsd)}` : ''}
      </div>
      <EdgeTraces edge={current} range={range} />
    </>
  )
}

function NodeShape({
  node,
  selected,
  onSelect,
}: {
  node: PlacedNode
  selected: boolean
  onSelect: (n: PlacedNode) => void
}) {
  const label = node.label.length > 24 ? `${node.label.slice(0, 23)}…` : node.label
  return (
    <g
      className={`node ${node.kind}${node.match ? ' match' : ''}${selected ? ' selected' : ''}`}
      transform={`translate(${node.x},${node.y})`}
      data-node={node.id}
      onClick={() => onSelect(node)}
    >
      <title>
        {`${node.label} (${node.group || 'ungrouped'}): ${node.calls} calls, ${rate(node.errorRate)} errors`}
      </title>
      <rect width={NODE_W} height={NODE_H} rx={node.kind === 'agent' ? 11 : 4} />
      <circle cx={10} cy={NODE_H / 2} r={4} fill={errorColour(node.errorRate)} />
      <text x={20} y={15}>
        {label}
      </text>
    </g>
  )
}

export default function FleetMapPage() {
  const search = useSearch()
  const [, navigate] = useLocation()
  const range = useMemo(() => rangeFromSearch(search), [search])
  const params = new URLSearchParams(search)
  const text = params.get('q') ?? ''
  const focus = params.get('focus') ?? undefined
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set())
  const [selected, setSelected] = useState<{ kind: 'node' | 'edge'; id: string } | undefined>(undefined)
  const map = useQuery(`${range.from}|${range.to}`, (signal) => registryApi.map(range, signal))
  const layout = useMemo(
    () =>
      map.data ? layoutFleet(map.data, { expanded, collapseOver: COLLAPSE_OVER, focus, search: text }) : undefined,
    [map.data, expanded, focus, text],
  )
  useEffect(() => {
    if (!layout) return
    // Painted: the frame after this commit. Read by the browser test and BENCHMARKS.md.
    const frame = requestAnimationFrame(() => {
      performance.mark('sightline.fleet-map.rendered')
      document.querySelector('.fleet-map svg')?.setAttribute('data-rendered', String(layout.nodes.length))
    })
    return () => cancelAnimationFrame(frame)
  }, [layout])
  const set = (updates: Record<string, string | undefined>, replace = false) =>
    navigate(`/registry/map${withParams(search, updates)}`, { replace })
  const selectNode = (node: PlacedNode) => {
    if (node.kind === 'cluster') setExpanded(new Set([...expanded, node.group]))
    else setSelected({ kind: 'node', id: node.id })
  }
  const node = selected?.kind === 'node' ? layout?.nodes.find((n) => n.id === selected.id) : undefined
  const edge = selected?.kind === 'edge' ? layout?.edges.find((e) => e.id === selected.id) : undefined

  return (
    <div className="page registry">
      <div className="page-head">
        <h1>Fleet map</h1>
        <Link className="btn ghost" href={`/registry${withParams(search, { focus: undefined })}`}>
          ← Registry
        </Link>
        <input
          type="search"
          aria-label="Search the map"
          placeholder="Search agents and tools"
          defaultValue={text}
          onChange={(e) => set({ q: e.target.value || undefined }, true)}
        />
        {focus && (
          <button className="btn" onClick={() => set({ focus: undefined })}>
            Show all (focused on {focus.replace(/^\w+:/, '')})
          </button>
        )}
        <button className="btn" onClick={() => setExpanded(new Set(map.data?.nodes.map((n) => n.group)))}>
          Expand groups
        </button>
        <button className="btn" onClick={() => setExpanded(new Set())}>
          Collapse groups
        </button>
        <span className="spacer" />
        <span className="legend">
          <span style={{ color: errorColour(0) }}>● no errors</span>
          <span style={{ color: errorColour(0.1) }}>● 10 %</span>
          <span style={{ color: errorColour(0.2) }}>● ≥ 20 %</span> width = calls
        </span>
        <RangePicker range={range} />
      </div>
      {map.error ? (
        <ErrorState error={map.error} onRetry={map.reload} />
      ) : !layout ? (
        <Loading label="Loading the fleet map…" />
      ) : layout.nodes.length === 0 ? (
        <Empty title="No fleet yet">No agent or tool was seen in this range.</Empty>
      ) : (
        <div className="fleet-map">
          <div className="canvas">
            <svg width={layout.width} height={layout.height} role="img" aria-label="Fleet map">
              {layout.groups.map((g) => (
                <text key={`${g.label}|${g.x}|${g.y}`} className="group-label" x={g.x} y={g.y}>
                  {g.label}
                </text>
              ))}
              {layout.edges.map((e) => (
                <g key={e.id} onClick={() => setSelected({ kind: 'edge', id: e.id })} data-edge={e.id}>
                  <path
                    className={`edge${edge?.id === e.id ? ' selected' : ''}`}
                    d={e.path}
                    stroke={errorColour(e.errorRate)}
                    strokeWidth={e.width}
                    strokeDasharray={e.kind === 'a2a' ? '6 3' : undefined}
                  />
                  <path className="edge-hit" d={e.path}>
                    <title>{`${e.source} → ${e.target}: ${e.calls} calls, ${rate(e.errorRate)} errors`}</title>
                  </path>
                </g>
              ))}
              {layout.nodes.map((n) => (
                <NodeShape key={n.id} node={n} selected={node?.id === n.id} onSelect={selectNode} />
              ))}
            </svg>
          </div>
          <aside className="side" aria-label="Selection">
            {edge ? (
              <EdgePanel key={edge.id} edge={edge} range={range} />
            ) : node ? (
              <>
                <h2>{node.label}</h2>
                <div className="small muted">
                  {node.kind} · {node.group || 'ungrouped'}
                </div>
                <div>
                  {node.calls.toLocaleString('en-US')} calls · {rate(node.errorRate)} errors
                </div>
                <button className="btn" onClick={() => set({ focus: node.id })}>
                  Focus on its neighbourhood
                </button>
                <Link href={`/traces?${node.kind === 'agent' ? 'agent' : 'tool'}=${encodeURIComponent(node.label)}`}>
                  Open its traces
                </Link>
              </>
            ) : (
              <p className="muted">
                Click an edge to see the traces behind it, a node to focus on its neighbourhood, a cluster to open it.
              </p>
            )}
          </aside>
        </div>
      )}
    </div>
  )
}
