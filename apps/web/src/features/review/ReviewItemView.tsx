/**
 * One queued trace as the reviewer sees it: outcome and failure, the trajectory step by step, and the selected step in
 * the inspector.
 */
import { observeCounted } from '@sightline/core'
import type { GetTraceResponse } from '@sightline/schema'
import { useMemo } from 'react'
import { Link } from 'wouter'
import { OutcomePill } from '../../components/TraceStory'
import { formatCost, formatDuration } from '../../lib/format'
import { SpanInspector } from '../trace/SpanInspector'
import { buildTraceModel } from '../trace/trace-model'

export function ReviewItemView({ detail, selectedStep }: { detail: GetTraceResponse; selectedStep: number }) {
  const { trace, spans } = detail
  const steps = useMemo(() => observeCounted(spans).steps, [spans])
  const model = useMemo(() => buildTraceModel(spans), [spans])
  const step = steps[Math.min(selectedStep, steps.length - 1)]
  const span = step?.spanId ? model.tree.byId.get(step.spanId)?.span : undefined
  return (
    <div className="review-item">
      <div className="review-trace-head">
        <h2>{trace.name || '(unnamed)'}</h2>
        <OutcomePill outcome={trace.outcome} />
        {trace.tags.map((t) => (
          <span key={t} className="tag">
            {t}
          </span>
        ))}
        <span className="muted small">
          {formatDuration(trace.durationMs)} · {formatCost(trace.costUsd)} · {trace.llmCallCount} model calls ·{' '}
          {trace.toolCallCount} tool calls
        </span>
        <Link href={`/traces/${trace.traceId}`} className="small">
          open trace ↗
        </Link>
      </div>
      {trace.failureReason && <div className="err-block small">{trace.failureReason}</div>}
      {trace.inputPreview && (
        <div className="small">
          <span className="muted">asked</span> {trace.inputPreview}
        </div>
      )}
      {trace.outputPreview && (
        <div className="small">
          <span className="muted">answered</span> {trace.outputPreview}
        </div>
      )}
      <div className="review-body">
        <ol className="review-steps" aria-label="Trajectory">
          {steps.map((s, i) => (
            <li
              key={s.spanId ?? i}
              className={`${s === step ? 'selected' : ''} ${s.isError ? 'failed' : ''}`}
              aria-current={s === step}
            >
              <span className="muted small">{s.agent}</span> <strong>{s.kind.replace('_', ' ')}</strong> {s.name}
              {s.args && Object.keys(s.args).length > 0 && (
                <span className="mono small"> {JSON.stringify(s.args).slice(0, 120)}</span>
              )}
              {s.isError && <span className="badge b-error">ERR</span>}
            </li>
          ))}
          {steps.length === 0 && <li className="muted">No model calls, tool calls or hand-offs.</li>}
        </ol>
        {span && <SpanInspector key={span.spanId} traceId={trace.traceId} skeleton={span} model={model} />}
      </div>
    </div>
  )
}
