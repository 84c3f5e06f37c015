/**
 * @module trajectory
 * An agent run as an ordered list of steps (model calls, tool calls, delegations) and a step-by-step
 * alignment of two runs. Used by the console's compare view and the CLI's regression check, so it
 * stays pure: no React, no I/O.
 */
import { isoToEpochMs } from '../trace/span-tree.js'

/** The span fields a trajectory reads (skeleton spans lack `toolArguments`; steps then compare by name). */
export interface TrajectorySpan {
  spanId: string
  parentSpanId: string
  name: string
  kind: string
  startTime: string
  status: string
  agentName: string
  model: string
  isLlmCall: boolean
  toolName: string
  toolArguments: string
  serviceName: string
}

export type StepKind = 'llm' | 'tool' | 'delegation'

export interface TrajectoryStep {
  kind: StepKind
  /** The agent the step ran under ('' when the trace names none). */
  agent: string
  /** Model for llm, tool name for tool, target agent for delegation. */
  name: string
  /** Canonical JSON of the tool arguments ('' otherwise). */
  args: string
  /** What two steps must share to count as the same step. */
  signature: string
  spanId: string
  startMs: number
  isError: boolean
}

/** Stable JSON: object keys sorted, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are one step. */
export function canonicalJson(text: string): string {
  if (!text) return ''
  try {
    return JSON.stringify(sortKeys(JSON.parse(text)))
  } catch {
    return text.trim()
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key])
    return out
  }
  return value
}

/**
 * Steps in start order. Each span's agent is its own `agentName` or the nearest ancestor's. An agent
 * span whose agent differs from its parent's (or a `handoff` span) is a delegation.
 * @example toTrajectory(spans).map((s) => s.signature) // ['llm:gpt-4o', 'tool:search({"q":"x"})', …]
 */
export function toTrajectory(spans: readonly TrajectorySpan[]): TrajectoryStep[] {
  const byId = new Map(spans.map((s) => [s.spanId, s]))
  const agentOf = new Map<string, string>()
  const resolveAgent = (span: TrajectorySpan): string => {
    // Walk up iteratively, then fill the cache for the whole chain.
    const chain: TrajectorySpan[] = []
    let cur: TrajectorySpan | undefined = span
    let found = ''
    while (cur) {
      const cached = agentOf.get(cur.spanId)
      if (cached !== undefined) { found = cached; break }
      if (cur.agentName) { found = cur.agentName; chain.push(cur); break }
      chain.push(cur)
      cur = cur.parentSpanId && chain.length <= spans.length ? byId.get(cur.parentSpanId) : undefined
    }
    for (const c of chain) agentOf.set(c.spanId, c.agentName || found)
    return agentOf.get(span.spanId) ?? found
  }
  const steps: TrajectoryStep[] = []
  for (const span of spans) {
    const agent = resolveAgent(span)
    const parent = span.parentSpanId ? byId.get(span.parentSpanId) : undefined
    const base = { agent, spanId: span.spanId, startMs: isoToEpochMs(span.startTime), isError: span.status === 'error' }
    if (span.isLlmCall || span.kind === 'llm') {
      const name = span.model || span.name
      steps.push({ ...base, kind: 'llm', name, args: '', signature: `llm:${name}` })
    } else if (span.kind === 'tool') {
      const name = span.toolName || span.name
      const args = canonicalJson(span.toolArguments)
      steps.push({ ...base, kind: 'tool', name, args, signature: `tool:${name}(${args})` })
    } else if (span.kind === 'handoff' || (span.kind === 'agent' && parent && span.agentName && resolveAgent(parent) !== span.agentName)) {
      const name = span.agentName || span.name
      steps.push({ ...base, kind: 'delegation', name, args: '', signature: `delegation:${name}` })
    }
  }
  return steps.sort((a, b) => a.startMs - b.startMs)
}

export type AlignOp = 'match' | 'mismatch' | 'insert' | 'delete'

export interface AlignedPair {
  /** match: same signature; mismatch: same kind and name, different arguments or model; delete: only in a; insert: only in b. */
  op: AlignOp
  a: TrajectoryStep | null
  b: TrajectoryStep | null
}

export interface Alignment {
  pairs: AlignedPair[]
  /** Index into `pairs` of the first pair that is not a match; null when the runs agree. */
  firstDivergence: number | null
  /** Matches over the longer trajectory's length (1 for two empty runs). */
  similarity: number
}

/** Above this many DP cells (~40 MB) the middle is aligned position by position instead. */
const MAX_CELLS = 10_000_000

function substitutionCost(a: TrajectoryStep, b: TrajectoryStep): number {
  if (a.signature === b.signature) return 0
  // Same tool called with other arguments is one edit; a different kind of step costs delete + insert.
  if (a.kind === b.kind && (a.kind !== 'llm' ? a.name === b.name : true)) return 1
  return 2
}

/**
 * Edit-distance alignment over step signatures (unit insert/delete, substitution 1 for a near miss,
 * 2 otherwise so unrelated steps show as insert + delete). Common prefix and suffix are trimmed first.
 * @example alignTrajectories(toTrajectory(a), toTrajectory(b)).firstDivergence
 */
export function alignTrajectories(a: readonly TrajectoryStep[], b: readonly TrajectoryStep[]): Alignment {
  let prefix = 0
  while (prefix < a.length && prefix < b.length && a[prefix]!.signature === b[prefix]!.signature) prefix++
  let suffix = 0
  while (
    suffix < a.length - prefix && suffix < b.length - prefix &&
    a[a.length - 1 - suffix]!.signature === b[b.length - 1 - suffix]!.signature
  ) suffix++
  const midA = a.slice(prefix, a.length - suffix)
  const midB = b.slice(prefix, b.length - suffix)
  const pairs: AlignedPair[] = []
  for (let i = 0; i < prefix; i++) pairs.push({ op: 'match', a: a[i]!, b: b[i]! })
  pairs.push(...((midA.length + 1) * (midB.length + 1) > MAX_CELLS ? alignByPosition(midA, midB) : alignDp(midA, midB)))
  for (let i = suffix; i > 0; i--) pairs.push({ op: 'match', a: a[a.length - i]!, b: b[b.length - i]! })
  const firstIndex = pairs.findIndex((p) => p.op !== 'match')
  const matches = pairs.length - pairs.filter((p) => p.op !== 'match').length
  const longest = Math.max(a.length, b.length)
  return { pairs, firstDivergence: firstIndex < 0 ? null : firstIndex, similarity: longest ? matches / longest : 1 }
}

function alignDp(a: readonly TrajectoryStep[], b: readonly TrajectoryStep[]): AlignedPair[] {
  const n = a.length
  const m = b.length
  const w = m + 1
  const cost = new Uint32Array((n + 1) * w)
  for (let i = 0; i <= n; i++) cost[i * w] = i
  for (let j = 0; j <= m; j++) cost[j] = j
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const sub = cost[(i - 1) * w + j - 1]! + substitutionCost(a[i - 1]!, b[j - 1]!)
      const del = cost[(i - 1) * w + j]! + 1
      const ins = cost[i * w + j - 1]! + 1
      cost[i * w + j] = Math.min(sub, del, ins)
    }
  }
  const out: AlignedPair[] = []
  let i = n
  let j = m
  while (i > 0 || j > 0) {
    const here = cost[i * w + j]!
    if (i > 0 && j > 0 && here === cost[(i - 1) * w + j - 1]! + substitutionCost(a[i - 1]!, b[j - 1]!)) {
      const same = a[i - 1]!.signature === b[j - 1]!.signature
      if (same || substitutionCost(a[i - 1]!, b[j - 1]!) === 1) {
        out.push({ op: same ? 'match' : 'mismatch', a: a[i - 1]!, b: b[j - 1]! })
      } else {
        out.push({ op: 'insert', a: null, b: b[j - 1]! }, { op: 'delete', a: a[i - 1]!, b: null })
      }
      i--
      j--
    } else if (i > 0 && here === cost[(i - 1) * w + j]! + 1) {
      out.push({ op: 'delete', a: a[--i]!, b: null })
    } else {
      out.push({ op: 'insert', a: null, b: b[--j]! })
    }
  }
  return out.reverse()
}

function alignByPosition(a: readonly TrajectoryStep[], b: readonly TrajectoryStep[]): AlignedPair[] {
  const out: AlignedPair[] = []
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? null
    const y = b[i] ?? null
    if (x && y) out.push({ op: x.signature === y.signature ? 'match' : 'mismatch', a: x, b: y })
    else out.push(x ? { op: 'delete', a: x, b: null } : { op: 'insert', a: null, b: y })
  }
  return out
}
