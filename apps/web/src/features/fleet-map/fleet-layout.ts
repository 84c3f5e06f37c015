/**
 * Lays out the fleet map (no graph library; pure, so it is unit-tested and cheap for 50 agents and
 * 300 tools): agents in columns by delegation depth (callers left of the agents they call), grouped
 * by service; tools in columns on the right, grouped by MCP server. To stay readable, a tool group
 * larger than `collapseOver` is drawn as one cluster node (its edges summed) until expanded; a search
 * expands the groups holding matches; focusing a node keeps only it and its neighbours.
 */
import type { FleetEdge, FleetMapResponse, FleetNode } from '@sightline/schema'

export interface LayoutOptions {
  /** Tool groups expanded by the user (others with more than `collapseOver` tools are clusters). */
  expanded: ReadonlySet<string>
  collapseOver: number
  /** Show only this node and its neighbours. */
  focus?: string | undefined
  /** Case-insensitive text in node labels: matches are marked and their groups expanded. */
  search?: string | undefined
}

export interface PlacedNode {
  id: string
  kind: 'agent' | 'tool' | 'cluster'
  label: string
  group: string
  x: number
  y: number
  calls: number
  errorRate: number | null
  match: boolean
  /** Nodes of a cluster. */
  members: number
}

export interface PlacedEdge {
  id: string
  source: string
  target: string
  kind: FleetEdge['kind']
  calls: number
  failures: number
  errorRate: number | null
  width: number
  /** The edges it stands for (several when its end is a cluster). */
  edges: FleetEdge[]
  path: string
}

export interface FleetLayout {
  nodes: PlacedNode[]
  edges: PlacedEdge[]
  groups: Array<{ label: string; x: number; y: number }>
  width: number
  height: number
}

export const NODE_W = 170
export const NODE_H = 22
const ROW = 28
const COL = 240
const GROUP_GAP = 22
const ROWS_PER_COLUMN = 36
const TOP = 24
/** Extra room between the agents and the tools, where most edges run. */
const TOOLS_GAP = 120

export const clusterId = (group: string) => `cluster:${group}`

/** Hue from green (no errors) through amber to red (20 % errors and more). */
export function errorColour(rate: number | null): string {
  if (rate === null) return '#9aa3b2'
  const t = Math.min(1, rate / 0.2)
  return `hsl(${Math.round(130 * (1 - t))}, 62%, ${Math.round(40 + 5 * (1 - t))}%)`
}

/** Agent columns at most: a long delegation chain (or a ring) wraps into the last column. */
const MAX_AGENT_COLUMNS = 4

/**
 * Column of each agent: breadth-first distance from the agents nobody delegates to (an agent in a
 * cycle with no such root starts one itself), capped at MAX_AGENT_COLUMNS - 1.
 */
function depthOf(agents: FleetNode[], edges: readonly FleetEdge[]): Map<string, number> {
  const out = new Map<string, string[]>()
  const incoming = new Set<string>()
  for (const e of edges) {
    if (e.kind !== 'a2a' || e.source === e.target) continue
    out.set(e.source, [...(out.get(e.source) ?? []), e.target])
    incoming.add(e.target)
  }
  const depth = new Map<string, number>()
  const visit = (roots: string[]) => {
    const queue = roots.filter((r) => !depth.has(r))
    for (const r of queue) depth.set(r, 0)
    for (let i = 0; i < queue.length; i++) {
      const id = queue[i]!
      for (const next of out.get(id) ?? []) {
        if (depth.has(next)) continue
        depth.set(next, Math.min(MAX_AGENT_COLUMNS - 1, depth.get(id)! + 1))
        queue.push(next)
      }
    }
  }
  visit(agents.filter((a) => !incoming.has(a.id)).map((a) => a.id))
  for (const a of agents) if (!depth.has(a.id)) visit([a.id])
  return depth
}

export function layoutFleet(map: FleetMapResponse, options: LayoutOptions): FleetLayout {
  const search = options.search?.trim().toLowerCase() ?? ''
  const matches = (n: FleetNode) => search !== '' && n.label.toLowerCase().includes(search)
  let nodes = map.nodes
  let edges = map.edges
  if (options.focus) {
    const keep = new Set([options.focus])
    for (const e of edges)
      if (e.source === options.focus || e.target === options.focus) keep.add(e.source).add(e.target)
    nodes = nodes.filter((n) => keep.has(n.id))
    edges = edges.filter((e) => keep.has(e.source) && keep.has(e.target))
  }
  const agents = nodes.filter((n) => n.kind === 'agent')
  const tools = nodes.filter((n) => n.kind === 'tool')
  const toolGroups = new Map<string, FleetNode[]>()
  for (const t of tools) toolGroups.set(t.group, [...(toolGroups.get(t.group) ?? []), t])
  const collapsed = new Set(
    [...toolGroups]
      .filter(
        ([group, list]) =>
          list.length > options.collapseOver && !options.expanded.has(group) && !list.some(matches) && !options.focus,
      )
      .map(([g]) => g),
  )
  const owner = new Map<string, string>()
  for (const t of tools) owner.set(t.id, collapsed.has(t.group) ? clusterId(t.group) : t.id)

  const placed: PlacedNode[] = []
  const groups: FleetLayout['groups'] = []
  const depth = depthOf(agents, edges)
  const maxDepth = Math.max(0, ...depth.values())
  // Agents: one column per depth, grouped by service inside it.
  for (let d = 0; d <= maxDepth; d++) {
    const column = agents
      .filter((a) => depth.get(a.id) === d)
      .sort((a, b) => (a.group === b.group ? (a.label < b.label ? -1 : 1) : a.group < b.group ? -1 : 1))
    let y = TOP
    let group: string | undefined
    for (const a of column) {
      if (a.group !== group) {
        if (group !== undefined) y += GROUP_GAP
        group = a.group
        groups.push({ label: a.group || 'no service', x: 20 + d * COL, y: y - 6 })
        y += 12
      }
      placed.push({
        id: a.id,
        kind: 'agent',
        label: a.label,
        group: a.group,
        x: 20 + d * COL,
        y,
        calls: a.calls,
        errorRate: a.errorRate,
        match: matches(a),
        members: 1,
      })
      y += ROW
    }
  }
  // Tools: columns of at most ROWS_PER_COLUMN rows, a header per MCP server (or local tools).
  let col = maxDepth + 1
  let row = 0
  let y = TOP
  const nextRow = (rows: number) => {
    if (row + rows > ROWS_PER_COLUMN && row > 0) {
      col += 1
      row = 0
      y = TOP
    }
  }
  for (const [group, list] of [...toolGroups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    nextRow(collapsed.has(group) ? 2 : Math.min(list.length + 1, ROWS_PER_COLUMN))
    if (row > 0) y += GROUP_GAP
    groups.push({ label: group || 'local tools', x: TOOLS_GAP + col * COL, y: y + 6 })
    y += 18
    row += 1
    if (collapsed.has(group)) {
      const calls = list.reduce((n, t) => n + t.calls, 0)
      const failures = list.reduce((n, t) => n + (t.errorRate ?? 0) * t.calls, 0)
      placed.push({
        id: clusterId(group),
        kind: 'cluster',
        label: `${list.length} tools`,
        group,
        x: TOOLS_GAP + col * COL,
        y,
        calls,
        errorRate: calls > 0 ? failures / calls : null,
        match: false,
        members: list.length,
      })
      y += ROW
      row += 1
      continue
    }
    for (const t of [...list].sort((a, b) => (a.label < b.label ? -1 : 1))) {
      nextRow(1)
      placed.push({
        id: t.id,
        kind: 'tool',
        label: t.label,
        group,
        x: TOOLS_GAP + col * COL,
        y,
        calls: t.calls,
        errorRate: t.errorRate,
        match: matches(t),
        members: 1,
      })
      y += ROW
      row += 1
    }
  }
  const at = new Map(placed.map((n) => [n.id, n]))
  const merged = new Map<string, PlacedEdge>()
  for (const e of edges) {
    const target = owner.get(e.target) ?? e.target
    const key = `${e.source}→${target}`
    const entry = merged.get(key) ?? {
      id: key,
      source: e.source,
      target,
      kind: e.kind,
      calls: 0,
      failures: 0,
      errorRate: null,
      width: 1,
      edges: [],
      path: '',
    }
    entry.calls += e.calls
    entry.failures += e.failures
    entry.edges.push(e)
    merged.set(key, entry)
  }
  const maxCalls = Math.max(1, ...[...merged.values()].map((e) => e.calls))
  const placedEdges = [...merged.values()].flatMap((e) => {
    const s = at.get(e.source)
    const t = at.get(e.target)
    if (!s || !t) return []
    e.errorRate = e.calls > 0 ? e.failures / e.calls : null
    e.width = 1 + 5 * Math.sqrt(e.calls / maxCalls)
    e.path = edgePath(s, t)
    return [e]
  })
  const width = Math.max(...placed.map((n) => n.x + NODE_W), 400) + 20
  const height = Math.max(...placed.map((n) => n.y + NODE_H), 200) + 20
  return { nodes: placed, edges: placedEdges, groups, width, height }
}

/** A curve from the right side of `s` to the left side of `t` (or a loop back for same-column agents). */
function edgePath(s: PlacedNode, t: PlacedNode): string {
  const sy = s.y + NODE_H / 2
  const ty = t.y + NODE_H / 2
  if (t.x > s.x) {
    const x1 = s.x + NODE_W
    const mid = (x1 + t.x) / 2
    return `M${x1},${sy} C${mid},${sy} ${mid},${ty} ${t.x},${ty}`
  }
  const x1 = s.x + NODE_W
  const bulge = x1 + 40 + Math.abs(ty - sy) / 6
  return `M${x1},${sy} C${bulge},${sy} ${bulge},${ty} ${t.x + NODE_W},${ty}`
}
