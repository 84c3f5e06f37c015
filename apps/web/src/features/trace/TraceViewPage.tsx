/** `/traces/:traceId[?span=&tab=]`: the story header, totals, timeline + tree, span inspector, agent graph. */
import { spansWithChildren } from '@sightline/core'
import { useMemo } from 'react'
import { api } from '../../api/client'
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
  const detail = useQuery(traceId, (signal) => api.getTraceSkeleton(traceId, signal))
  const model = useMemo(() => {
    if (!detail.data) return null
    const start = performance.now()
    const built = buildTraceModel(detail.data.spans)
    performance.measure('sightline.trace.model', { start })
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
  const { trace } = detail.data
  const selected = selectedId ? model.tree.byId.get(selectedId)?.span : undefined

  return (
    <div className="page trace-page">
      <TraceHeader trace={trace} />
      <TraceTotals trace={trace} />
      <TraceScores traceId={trace.traceId} />
      <div className="toolbar">
        <div className="tabs" role="tablist">
          <button
            role="tab"
            aria-selected={panel === 'timeline'}
            className={panel === 'timeline' ? 'tab active' : 'tab'}
            onClick={() => setPanel('timeline')}
          >
            Timeline
          </button>
          <button
            role="tab"
            aria-selected={panel === 'graph'}
            className={panel === 'graph' ? 'tab active' : 'tab'}
            onClick={() => setPanel('graph')}
          >
            Agent graph
          </button>
        </div>
        {panel === 'timeline' && (
          <>
            <button className="btn ghost small" onClick={() => useTraceViewStore.getState().expandAll()}>
              Expand all
            </button>
            <button
              className="btn ghost small"
              onClick={() => useTraceViewStore.getState().collapseAll(spansWithChildren(model.tree))}
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
          <span className="lane">
            <i className="crit-legend" />
            critical path
          </span>
        </div>
      </div>
      <div className="trace-body">
        <div className="trace-main">
          {panel === 'timeline' ? <SpanTimeline model={model} /> : <AgentGraphView model={model} />}
        </div>
        {isInspectorOpen && selected && (
          <SpanInspector key={selected.spanId} traceId={traceId} skeleton={selected} model={model} />
        )}
      </div>
    </div>
  )
}
