/** The agent graph as an SVG over the layered layout from agent-graph.ts. */
import { useMemo } from 'react'
import { Empty } from '../../components/States'
import { formatDuration } from '../../lib/format'
import { buildAgentGraph, type GraphEdge, type GraphNode } from './agent-graph'
import { laneColour, type TraceModel } from './trace-model'

const NODE_W = 180
const NODE_H = 46
const COL_W = 300
const ROW_H = 78
const PAD = 24

const EDGE_WORDS: Record<GraphEdge['kind'], string> = {
  delegation: 'delegation',
  subagent: 'sub-agent invocation',
  call: 'call',
}

const pos = (n: GraphNode) => ({ x: PAD + n.layer * COL_W, y: PAD + n.row * ROW_H })

export function AgentGraphView({ model }: { model: TraceModel }) {
  const graph = useMemo(() => buildAgentGraph(model), [model])
  if (graph.nodes.length === 0) return <Empty title="No agents, tools or model calls in this trace" />
  const byId = new Map(graph.nodes.map((n) => [n.id, n]))
  const width = PAD * 2 + (graph.layers - 1) * COL_W + NODE_W
  const height = PAD * 2 + (graph.maxRows - 1) * ROW_H + NODE_H + 30
  return (
    <div className="graph-wrap">
      <div className="graph-legend small muted">
        <span>
          <i className="lg agent" /> agent
        </span>
        <span>
          <i className="lg tool" /> tool
        </span>
        <span>
          <i className="lg model" /> model
        </span>
        <span>━ delegation</span>
        <span>— sub-agent</span>
        <span>┄ call</span>
        <span>labels: count · avg latency · errors</span>
      </div>
      <svg className="graph" width={width} height={height} role="img" aria-label="Agent graph">
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" fill="#7b8494" />
          </marker>
          <marker
            id="arrow-err"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" fill="var(--err)" />
          </marker>
        </defs>
        {graph.edges.map((e) => (
          <Edge key={`${e.from}→${e.to}→${e.kind}`} edge={e} from={byId.get(e.from)!} to={byId.get(e.to)!} />
        ))}
        {graph.nodes.map((n) => (
          <Node key={n.id} node={n} colour={n.kind === 'agent' ? laneColour(model, n.label) : undefined} />
        ))}
      </svg>
    </div>
  )
}

function Edge({ edge, from, to }: { edge: GraphEdge; from: GraphNode; to: GraphNode }) {
  const a = pos(from)
  const b = pos(to)
  const isForward = to.layer > from.layer
  let d: string
  let lx: number
  let ly: number
  if (isForward) {
    const [x1, y1, x2, y2] = [a.x + NODE_W, a.y + NODE_H / 2, b.x, b.y + NODE_H / 2]
    const mid = (x1 + x2) / 2
    d = `M ${x1} ${y1} C ${mid} ${y1}, ${mid} ${y2}, ${x2} ${y2}`
    // Label at 70% of the curve, where edges from one node have fanned out and stop overlapping.
    const t = 0.7
    const u = 1 - t
    lx = u * u * u * x1 + 3 * u * u * t * mid + 3 * u * t * t * mid + t * t * t * x2
    ly = u * u * u * y1 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y2 - 5
  } else {
    // Back or same-layer edge (an agent delegating back up): arc below both nodes.
    const [x1, y1, x2, y2] = [a.x + NODE_W / 2, a.y + NODE_H, b.x + NODE_W / 2, b.y + NODE_H]
    const dip = Math.max(y1, y2) + 34
    d = `M ${x1} ${y1} C ${x1} ${dip}, ${x2} ${dip}, ${x2} ${y2}`
    ;[lx, ly] = [(x1 + x2) / 2, dip - 4]
  }
  const hasErrors = edge.errors > 0
  const label =
    `${edge.count}× ` + `· ${formatDuration(edge.totalMs / edge.count)}${hasErrors ? ` · ${edge.errors} err` : ''}`
  return (
    <g className={`edge ${edge.kind}${hasErrors ? ' has-errors' : ''}`} data-edge={`${edge.from}→${edge.to}`}>
      <path d={d} fill="none" markerEnd={hasErrors ? 'url(#arrow-err)' : 'url(#arrow)'} />
      <text x={lx} y={ly} textAnchor="middle" className="edge-label">
        {label}
      </text>
      <title>
        {`${from.label} → ${to.label}: ${EDGE_WORDS[edge.kind]}, ${edge.count} times, ` +
          `total ${formatDuration(edge.totalMs)}, ${edge.errors} failed`}
      </title>
    </g>
  )
}

function Node({ node, colour }: { node: GraphNode; colour: string | undefined }) {
  const { x, y } = pos(node)
  const label = node.label.length > 24 ? `${node.label.slice(0, 23)}…` : node.label
  return (
    <g
      className={`node ${node.kind}${node.errors ? ' has-errors' : ''}`}
      transform={`translate(${x},${y})`}
      data-node={node.id}
    >
      <rect
        width={NODE_W}
        height={NODE_H}
        rx={node.kind === 'agent' ? 8 : 4}
        style={colour ? { stroke: colour } : undefined}
      />
      {colour && <rect width={5} height={NODE_H} rx={2} fill={colour} />}
      <text x={12} y={19} className="node-label">
        {label}
      </text>
      <text x={12} y={35} className="node-sub">
        {node.kind}
        {node.count ? ` · ${node.count}×` : ''}
        {node.errors ? ` · ${node.errors} err` : ''}
      </text>
      <title>{node.label}</title>
    </g>
  )
}
