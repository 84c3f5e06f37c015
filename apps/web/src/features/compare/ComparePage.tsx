/**
 * `/compare?a=<traceId>&b=<traceId>`: two runs side by side, their trajectories aligned step by
 * step. Full spans are needed for tool arguments; past FULL_LIMIT spans the skeleton is used and
 * steps compare by tool name only (said on the page).
 */
import { type GetTraceResponse, type TraceSummary } from '@sightline/schema'
import { alignTrajectories, toTrajectory, type AlignedPair, type TrajectoryStep } from '@sightline/core'
import { useMemo, useState, type FormEvent } from 'react'
import { Link, useLocation, useSearch } from 'wouter'
import { api } from '../../api/client'
import { useQuery } from '../../api/use-query'
import { Empty, ErrorState, Loading } from '../../components/States'
import { OutcomePill, OutcomeReasonText } from '../../components/TraceStory'
import { traceTitle } from '../../components/trace-story'
import { formatCost, formatDuration, formatTokens } from '../../lib/format'

const FULL_LIMIT = 3000
const HEX32 = /^[0-9a-f]{32}$/i

async function loadForCompare(
  traceId: string,
  signal: AbortSignal,
): Promise<GetTraceResponse & { isSkeleton: boolean }> {
  const skeleton = await api.getTraceSkeleton(traceId, signal)
  if (skeleton.spans.length > FULL_LIMIT) return { ...skeleton, isSkeleton: true }
  return { ...(await api.getTrace(traceId, signal)), isSkeleton: false }
}

export default function ComparePage() {
  const params = new URLSearchParams(useSearch())
  const a = params.get('a') ?? ''
  const b = params.get('b') ?? ''
  if (!HEX32.test(a) || !HEX32.test(b)) return <ComparePicker a={a} b={b} />
  return <Comparison a={a} b={b} />
}

function ComparePicker({ a, b }: { a: string; b: string }) {
  const [, navigate] = useLocation()
  const [ids, setIds] = useState({ a, b })
  const submit = (e: FormEvent) => {
    e.preventDefault()
    navigate(`/compare?a=${ids.a.trim()}&b=${ids.b.trim()}`)
  }
  return (
    <div className="page">
      <div className="page-head">
        <h1>Compare traces</h1>
      </div>
      <form className="compare-picker" onSubmit={submit}>
        <p className="muted">
          Tick two traces in the <Link href="/traces">explorer</Link> and press Compare, or paste two trace ids.
        </p>
        <input
          aria-label="Trace A"
          placeholder="Trace A id (32 hex)"
          value={ids.a}
          onChange={(e) => setIds({ ...ids, a: e.target.value })}
        />
        <input
          aria-label="Trace B"
          placeholder="Trace B id (32 hex)"
          value={ids.b}
          onChange={(e) => setIds({ ...ids, b: e.target.value })}
        />
        <button className="btn primary" disabled={!HEX32.test(ids.a.trim()) || !HEX32.test(ids.b.trim())}>
          Compare
        </button>
      </form>
    </div>
  )
}

function Comparison({ a, b }: { a: string; b: string }) {
  const left = useQuery(`a:${a}`, (signal) => loadForCompare(a, signal))
  const right = useQuery(`b:${b}`, (signal) => loadForCompare(b, signal))
  const alignment = useMemo(
    () =>
      left.data && right.data ? alignTrajectories(toTrajectory(left.data.spans), toTrajectory(right.data.spans)) : null,
    [left.data, right.data],
  )
  const error = left.error ?? right.error
  if (error)
    return (
      <div className="page">
        <ErrorState
          error={error}
          onRetry={() => {
            left.reload()
            right.reload()
          }}
        />
      </div>
    )
  if (!left.data || !right.data || !alignment)
    return (
      <div className="page">
        <Loading label="Loading both traces…" />
      </div>
    )
  const ta = left.data.trace
  const tb = right.data.trace
  const sameAgent = ta.agents.some((x) => tb.agents.includes(x))
  const counts = { match: 0, mismatch: 0, insert: 0, delete: 0 }
  for (const p of alignment.pairs) counts[p.op]++
  return (
    <div className="page compare-page">
      <div className="page-head">
        <Link href="/traces" className="muted">
          Traces
        </Link>
        <span className="muted">/</span>
        <h1>Compare</h1>
        <span className="spacer" />
        <Link href={`/compare?a=${b}&b=${a}`} className="btn ghost">
          Swap
        </Link>
      </div>
      <div className="compare-heads">
        <TraceCard label="A" trace={ta} />
        <TraceCard label="B" trace={tb} />
      </div>
      {!sameAgent && <div className="notice">These traces share no agent; the alignment may not be meaningful.</div>}
      {(left.data.isSkeleton || right.data.isSkeleton) && (
        <div className="notice">
          Over {FULL_LIMIT} spans: tool arguments were not loaded, steps compare by tool name.
        </div>
      )}
      <div className="compare-summary" aria-label="Alignment summary">
        <strong>{Math.round(alignment.similarity * 100)}% of steps match</strong>
        <span className="muted">
          {counts.match} same · {counts.mismatch} changed · {counts.delete} only in A · {counts.insert} only in B
        </span>
        {alignment.firstDivergence === null ? (
          <span className="pill ok">same trajectory</span>
        ) : (
          <a href="#first-divergence" className="pill err">
            first divergence at step {alignment.firstDivergence + 1}
          </a>
        )}
      </div>
      {alignment.pairs.length === 0 ? (
        <Empty title="Neither trace has LLM calls, tool calls or delegations" />
      ) : (
        <table className="grid align-table">
          <thead>
            <tr>
              <th className="num">#</th>
              <th>A · {ta.name}</th>
              <th></th>
              <th>B · {tb.name}</th>
            </tr>
          </thead>
          <tbody>
            {alignment.pairs.map((p, i) => (
              <PairRow key={i} pair={p} index={i} isFirst={i === alignment.firstDivergence} a={a} b={b} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

function TraceCard({ label, trace }: { label: string; trace: TraceSummary }) {
  return (
    <div className="compare-card">
      <div>
        <span className="side-label">{label}</span>{' '}
        <Link href={`/traces/${trace.traceId}`} className="trace-link">
          {traceTitle(trace)}
        </Link>{' '}
        <OutcomePill outcome={trace.outcome} />{' '}
        <span className="small">
          <OutcomeReasonText trace={trace} />
        </span>
      </div>
      <div className="muted small mono">{trace.traceId}</div>
      <div className="small">
        {formatDuration(trace.durationMs)} · {formatCost(trace.costUsd)} ·{' '}
        {formatTokens(trace.inputTokens + trace.outputTokens)} tokens · {trace.llmCallCount} model calls ·{' '}
        {trace.toolCallCount} tool calls · {trace.delegationCount}{' '}
        {trace.delegationCount === 1 ? 'delegation' : 'delegations'} · {trace.errorCount} failures
      </div>
      <div className="small muted">
        {trace.agents.join(', ')}
        {trace.releases.length ? ` · ${trace.releases.join(', ')}` : ''}
      </div>
    </div>
  )
}

const OP_LABEL = { match: '=', mismatch: '≠', insert: '+B', delete: '+A' } as const

function PairRow({
  pair,
  index,
  isFirst,
  a,
  b,
}: {
  pair: AlignedPair
  index: number
  isFirst: boolean
  a: string
  b: string
}) {
  return (
    <tr className={`op-${pair.op}${isFirst ? ' first-divergence' : ''}`} id={isFirst ? 'first-divergence' : undefined}>
      <td className="num muted">{index + 1}</td>
      <td>
        <StepCell step={pair.a} traceId={a} other={pair.b} />
      </td>
      <td className="op" title={pair.op}>
        {OP_LABEL[pair.op]}
      </td>
      <td>
        <StepCell step={pair.b} traceId={b} other={pair.a} />
      </td>
    </tr>
  )
}

function StepCell({
  step,
  traceId,
  other,
}: {
  step: TrajectoryStep | null
  traceId: string
  other: TrajectoryStep | null
}) {
  if (!step) return <span className="muted small">—</span>
  const argsDiffer = other && other.kind === step.kind && other.args !== step.args
  return (
    <div className="step">
      <span className={`badge b-${step.kind === 'llm' ? 'llm' : step.kind === 'tool' ? 'tool' : 'a2a'}`}>
        {step.kind === 'delegation' ? 'DELEGATE' : step.kind.toUpperCase()}
      </span>
      <Link href={`/traces/${traceId}`} className="step-name">
        {step.name}
      </Link>
      {step.isError && <span className="badge b-error">ERR</span>}
      {step.agent && <span className="muted small"> · {step.agent}</span>}
      {step.args && (
        <code className={argsDiffer ? 'args differ' : 'args'} title={step.args}>
          {step.args.length > 140 ? `${step.args.slice(0, 139)}…` : step.args}
        </code>
      )}
    </div>
  )
}
