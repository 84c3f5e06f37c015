/**
 * The selected span in full. The timeline holds skeleton spans only; the heavy fields (messages,
 * tool arguments and results, attributes, events) are fetched for this one span when it opens.
 */
import type { Span, SpanEvent } from '@sightline/schema'
import { api } from '../../api/client'
import { useQuery } from '../../api/use-query'
import { ErrorState, Loading } from '../../components/States'
import { Link } from 'wouter'
import { SpanStatusPill } from '../../components/SpanStatusPill'
import { formatCost, formatDuration, formatTimestamp, formatTokens } from '../../lib/format'
import { traceHref } from '../../lib/trace-url'
import { useTraceViewStore } from '../../stores/trace-view-store'
import { Conversation } from './Conversation'
import { JsonView } from './JsonView'
import { countedCallOf, type TraceModel } from './trace-model'
import { SpanScores } from '../scores/TraceScores'

export function SpanInspector({ traceId, skeleton, model }: { traceId: string; skeleton: Span; model: TraceModel }) {
  const close = useTraceViewStore((s) => s.closeInspector)
  const full = useQuery(`${traceId}/${skeleton.spanId}`, (signal) => api.getSpan(traceId, skeleton.spanId, signal))
  const span = full.data ?? skeleton
  const node = model.tree.byId.get(span.spanId)
  const offset = node ? node.startMs - model.startMs : 0
  return (
    <aside className="inspector" aria-label="Span inspector">
      <div className="inspector-head">
        <div>
          <h2 title={span.name}>{span.name || '(unnamed)'}</h2>
          <div className="muted small mono">
            {span.spanId} · {span.kind}
            {span.operation ? ` · ${span.operation}` : ''}
          </div>
        </div>
        <button className="btn ghost" aria-label="Close inspector" onClick={close}>
          ✕
        </button>
      </div>
      <dl className="kv">
        <dt>Status</dt>
        <dd>
          <SpanStatusPill status={span.status} />
          {span.failed && span.failureInferred && (
            <span className="err-text small"> reported failed by a later model call</span>
          )}
        </dd>
        <CountedAs span={span} traceId={traceId} model={model} />
        <dt>Duration</dt>
        <dd>
          {formatDuration(span.durationMs)} <span className="muted small">at +{formatDuration(offset)}</span>
        </dd>
        {span.agentName && (
          <>
            <dt>Agent</dt>
            <dd>{span.agentName}</dd>
          </>
        )}
        <dt>Service</dt>
        <dd>
          {span.serviceName}
          {span.serviceVersion && <span className="muted"> @ {span.serviceVersion}</span>}
        </dd>
        {span.model && (
          <>
            <dt>Model</dt>
            <dd>
              {span.model}
              {span.provider && <span className="muted"> ({span.provider})</span>}
            </dd>
          </>
        )}
        {span.toolName && (
          <>
            <dt>Tool</dt>
            <dd>
              {span.toolName}
              {span.toolCallId && <span className="muted mono small"> {span.toolCallId}</span>}
            </dd>
          </>
        )}
        <dt>Started</dt>
        <dd>{formatTimestamp(span.startTime)}</dd>
        {model.critical.spanIds.has(span.spanId) && (
          <>
            <dt>Critical path</dt>
            <dd>yes</dd>
          </>
        )}
        {span.flags.length > 0 && (
          <>
            <dt>Flags</dt>
            <dd>{span.flags.join(', ')}</dd>
          </>
        )}
      </dl>
      {span.failed && <ErrorBlock span={span} />}
      {(span.isLlmCall || span.inputTokens + span.outputTokens > 0) && <Usage span={span} />}
      {full.isLoading && <Loading label="Loading span details…" />}
      {full.error && <ErrorState error={full.error} onRetry={full.reload} />}
      <SpanScores traceId={traceId} spanId={span.spanId} />
      {full.data && <Details span={full.data} />}
    </aside>
  )
}

/** How the span counts in the trace's totals, in the resolver's words (the same fields the totals sum). */
function CountedAs({ span, traceId, model }: { span: Span; traceId: string; model: TraceModel }) {
  const lines: React.ReactNode[] = []
  if (span.llmRole === 'call') lines.push('a model call')
  if (span.llmRole === 'aggregate')
    lines.push("not a model call: repeats its children's usage, which is counted on them")
  if (span.toolRole === 'call') lines.push('a tool call')
  if (span.toolRole === 'part') {
    const counted = countedCallOf(model, span.spanId)
    lines.push(
      counted ? (
        <>
          same call as{' '}
          <Link href={traceHref(traceId, { spanId: counted.spanId })}>{counted.name || counted.spanId}</Link> (counted
          there)
        </>
      ) : (
        'part of a tool call counted on an enclosing span'
      ),
    )
  }
  if (span.isDelegation) lines.push('a delegation to another agent')
  if (lines.length === 0) return null
  return (
    <>
      <dt>Counts as</dt>
      <dd className="counts-as">
        {lines.map((l, i) => (
          <div key={i}>{l}</div>
        ))}
      </dd>
    </>
  )
}

function ErrorBlock({ span }: { span: Span }) {
  return (
    <section className="section err-block" aria-label="Error">
      <h3>
        {span.failureInferred ? 'Failed (reported by a later model call)' : 'Error'}
        {span.errorType && <span className="muted"> · {span.errorType}</span>}
      </h3>
      {span.statusMessage && <pre className="pre">{span.statusMessage}</pre>}
    </section>
  )
}

function Usage({ span }: { span: Span }) {
  const cells: Array<[string, string]> = [
    ['Input', formatTokens(span.inputTokens)],
    ['Cached', formatTokens(span.cachedInputTokens)],
    ['Output', formatTokens(span.outputTokens)],
    ['Reasoning', formatTokens(span.reasoningTokens)],
    ['Cost', span.isUnpriced ? 'unpriced' : formatCost(span.costUsd)],
  ]
  return (
    <section className="section" aria-label="Usage">
      <h3>Tokens and cost</h3>
      <div className="usage">
        {cells.map(([k, v]) => (
          <div key={k}>
            <div className="muted small">{k}</div>
            <div className="num-strong">{v}</div>
          </div>
        ))}
      </div>
      {span.costSource && <div className="muted small">priced by {span.costSource}</div>}
      {span.llmRole === 'aggregate' && (
        <div className="muted small">
          These tokens repeat the model calls below this span; the trace's totals count them there, once.
        </div>
      )}
    </section>
  )
}

function Details({ span }: { span: Span }) {
  const exceptions = span.events.filter((e) => e.name === 'exception')
  const others = span.events.filter((e) => e.name !== 'exception')
  return (
    <>
      {exceptions.map((e, i) => (
        <ExceptionBlock key={i} event={e} />
      ))}
      {span.toolArguments && (
        <Section title="Tool arguments">
          <JsonView value={span.toolArguments} />
        </Section>
      )}
      {span.toolResult && (
        <Section title="Tool result">
          <JsonView value={span.toolResult} />
        </Section>
      )}
      {(span.input || span.output) && (
        <Section title="Messages">
          <Conversation input={span.input} output={span.output} />
        </Section>
      )}
      <Section title={`Attributes (${Object.keys(span.attributes).length})`} isOpen={false}>
        <AttributeTable attrs={span.attributes} />
      </Section>
      <Section title={`Resource (${Object.keys(span.resourceAttributes).length})`} isOpen={false}>
        <AttributeTable attrs={span.resourceAttributes} />
      </Section>
      {others.length > 0 && (
        <Section title={`Events (${others.length})`}>
          {others.map((e, i) => (
            <div key={i} className="event">
              <span className="mono small muted">{formatTimestamp(e.time)}</span> <strong>{e.name}</strong>
              {Object.keys(e.attributes).length > 0 && <JsonView value={e.attributes} />}
            </div>
          ))}
        </Section>
      )}
    </>
  )
}

function ExceptionBlock({ event }: { event: SpanEvent }) {
  const a = event.attributes
  const text = (k: string) =>
    typeof a[k] === 'string' ? (a[k] as string) : a[k] === undefined ? '' : JSON.stringify(a[k])
  return (
    <section className="section err-block" aria-label="Exception">
      <h3>Exception{text('exception.type') && <span className="muted"> · {text('exception.type')}</span>}</h3>
      {text('exception.message') && <pre className="pre">{text('exception.message')}</pre>}
      {text('exception.stacktrace') && (
        <details>
          <summary className="small">Stack trace</summary>
          <pre className="pre small">{text('exception.stacktrace')}</pre>
        </details>
      )}
    </section>
  )
}

function Section({ title, children, isOpen = true }: { title: string; children: React.ReactNode; isOpen?: boolean }) {
  return (
    <details className="section" open={isOpen}>
      <summary>
        <h3>{title}</h3>
      </summary>
      {children}
    </details>
  )
}

function AttributeTable({ attrs }: { attrs: Record<string, string> }) {
  const keys = Object.keys(attrs).sort()
  if (keys.length === 0) return <p className="muted small">None</p>
  return (
    <table className="attrs">
      <tbody>
        {keys.map((k) => (
          <tr key={k}>
            <td className="mono small">{k}</td>
            <td className="mono small">{attrs[k]}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
