/** `/traces/:traceId[?span=&tab=]`: the story header, totals, timeline + tree, span inspector, agent graph. */
import { spansWithChildren } from '@sightline/core'
import { useMemo } from 'react'
import { api, type TraceSkeleton } from '../../api/client'
import { useQuery } from '../../api/use-query'
import { ErrorState, Loading } from '../../components/States'
import { useTraceViewStore } from '../../stores/trace-view-store'
import { AgentGraphView } from './AgentGraphView'
import { SpanInspector } from './SpanInspector'
import { SpanTimeline } from './SpanTimeline'
import { buildTraceModel, laneColour } from './trace-model'
import { TraceHeader } from './TraceHeader'
import { TraceTotals } from './TraceTotals'
import { useTraceViewUrl } from './use-trace-view-url'
import { TraceScores } from '../scores/TraceScores'

export default function TraceViewPage({ traceId }: { traceId: string }) {
  useTraceViewUrl(traceId)
  // A huge trace's first spans are drawn while the rest loads (`complete: false`).
  const detail = useQuery<TraceSkeleton>(traceId, (signal, partial) => api.getTraceSkeleton(traceId, signal, partial))
  const model = useMemo(() => {
    if (!detail.data) return null
    const { trace, spans, complete } = detail.data
    const start = performance.now()
    const partOf = complete ? undefined : { startMs: Date.parse(trace.startTime), endMs: Date.parse(trace.endTime) }
    const built = buildTraceModel(spans, partOf)
    if (complete) performance.measure('sightline.trace.model', { start })
    else performance.measure('sightline.trace.head-model', { start })
    return built
  }, [detail.data])
  const panel = useTraceViewStore((s) => s.panel)
  const setPanel = useTraceViewStore((s) => s.setPanel)
  const selectedId = useTraceViewStore((s) => s.selectedSpanId)
  const isInspectorOpen = useTraceViewStore((s) => s.isInspectorOpen)

  if (detail.error)
    return (
      <div className="page">
        <ErrorState error={detail.error} onRetry={detail.reload} />
      </div>
    )
  if (!detail.data || !model)
    return (
      <div className="page">
        <Loading label="Loading trace…" />
      </div>
    )
  const { trace, complete } = detail.data
  const selected = selectedId ? model.tree.byId.get(selectedId)?.span : undefined
  // The graph and the critical path are of the whole trace: not drawn from its first spans.
  const showGraph = panel === 'graph' && complete

  return (
    <div className="page trace-page">
      <TraceHeader trace={trace} />
      <TraceTotals trace={trace} />
      <TraceScores traceId={trace.traceId} />
      <div className="toolbar">
        <div className="tabs" role="tablist">
          <button
            role="tab"
            aria-selected={!showGraph}
            className={!showGraph ? 'tab active' : 'tab'}
            onClick={() => setPanel('timeline')}
          >
            Timeline
          </button>
          <button
            role="tab"
            aria-selected={showGraph}
            className={showGraph ? 'tab active' : 'tab'}
            onClick={() => setPanel('graph')}
            disabled={!complete}
          >
            Agent graph
          </button>
        </div>
        {!showGraph && (
          <>
            <button className="btn ghost small" onClick={() => useTraceViewStore.getState().expandAll()}>
              Expand all
            </button>
            <button
              className="btn ghost small"
              onClick={() => useTraceViewStore.getState().collapseAll(spansWithChildren(model.tree))}
              disabled={!complete}
            >
              Collapse all
            </button>
          </>
        )}
        <span className="spacer" />
        <div className="lanes">
          {model.agents.map((a) => (
            <span key={a} className="lane">
              <i style={{ background: laneColour(model, a) }} />
              {a}
            </span>
          ))}
          {complete ? (
            <span className="lane">
              <i className="crit-legend" />
              critical path
            </span>
          ) : (
            <span className="lane" role="status" data-testid="trace-partial">
              first {model.tree.byId.size.toLocaleString('en-US')} of {trace.spanCount.toLocaleString('en-US')} spans ·
              loading the rest…
            </span>
          )}
        </div>
      </div>
      <div className="trace-body">
        <div className="trace-main">
          {showGraph ? <AgentGraphView model={model} /> : <SpanTimeline model={model} />}
        </div>
        {isInspectorOpen && selected && complete && (
          <SpanInspector key={selected.spanId} traceId={traceId} skeleton={selected} model={model} />
        )}
      </div>
    </div>
  )
}
