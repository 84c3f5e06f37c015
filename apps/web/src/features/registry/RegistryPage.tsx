/**
 * `/registry?tab=agents|tools|drift&range=`: the fleet registry. Agents (with their A2A cards and
 * releases) and tools (MCP servers and local tools) seen in traffic, with health from the resolved
 * data, and the drift timeline. The fleet map is `/registry/map`.
 */
import { useMemo } from 'react'
import { Link, useLocation, useSearch } from 'wouter'
import { useQuery } from '../../api/use-query'
import { Empty, ErrorState, Loading } from '../../components/States'
import '../dashboards/dashboards.css'
import { AgentsTable } from './AgentsTable'
import { DriftTimeline } from './DriftTimeline'
import { RangePicker } from './RangePicker'
import { registryApi } from './registry-api'
import { rangeFromSearch, withParams } from './registry-url'
import { ToolsTable } from './ToolsTable'
import './registry.css'

const TABS = ['agents', 'tools', 'drift'] as const
type Tab = (typeof TABS)[number]

export default function RegistryPage() {
  const search = useSearch()
  const [, navigate] = useLocation()
  const range = useMemo(() => rangeFromSearch(search), [search])
  const raw = new URLSearchParams(search).get('tab')
  const tab: Tab = raw === 'tools' || raw === 'drift' ? raw : 'agents'
  const q = (new URLSearchParams(search).get('q') ?? '').toLowerCase()
  const key = `${tab}|${range.from}|${range.to}`
  const agents = useQuery(tab === 'agents' ? key : null, (signal) => registryApi.agents(range, signal))
  const tools = useQuery(tab === 'tools' ? key : null, (signal) => registryApi.tools(range, signal))
  const events = useQuery(tab === 'drift' ? key : null, (signal) => registryApi.events(range, signal))
  const state = tab === 'agents' ? agents : tab === 'tools' ? tools : events
  const setParam = (name: string, value: string | undefined) =>
    navigate(`/registry${withParams(search, { [name]: value })}`, { replace: name === 'q' })

  let body
  if (state.error) body = <ErrorState error={state.error} onRetry={state.reload} />
  else if (tab === 'agents' && agents.data) {
    const list = agents.data.agents.filter(
      (a) => !q || a.name.toLowerCase().includes(q) || a.services.some((s) => s.toLowerCase().includes(q)),
    )
    body =
      list.length === 0 ? (
        <Empty title="No agents">No agent was seen in this range and no Agent Card was registered.</Empty>
      ) : (
        <AgentsTable agents={list} />
      )
  } else if (tab === 'tools' && tools.data) {
    const list = tools.data.tools.filter(
      (t) => !q || t.name.toLowerCase().includes(q) || t.server.toLowerCase().includes(q),
    )
    body =
      list.length === 0 ? (
        <Empty title="No tools">No tool was called or listed in this range.</Empty>
      ) : (
        <ToolsTable tools={list} />
      )
  } else if (tab === 'drift' && events.data) {
    const list = events.data.events.filter(
      (e) => !q || e.subject.toLowerCase().includes(q) || e.summary.toLowerCase().includes(q),
    )
    body =
      list.length === 0 ? (
        <Empty title="No drift">No new versions, card or schema changes in this range.</Empty>
      ) : (
        <DriftTimeline events={list} />
      )
  } else body = <Loading label="Loading the registry…" />

  return (
    <div className="page registry">
      <div className="page-head">
        <h1>Fleet</h1>
        <div className="tabs" role="tablist" aria-label="Registry">
          {TABS.map((t) => (
            <button
              key={t}
              role="tab"
              aria-selected={tab === t}
              className={`tab${tab === t ? ' active' : ''}`}
              onClick={() => setParam('tab', t === 'agents' ? undefined : t)}
            >
              {t}
            </button>
          ))}
          <Link className="tab" href={`/registry/map${withParams(search, { tab: undefined, q: undefined })}`}>
            map
          </Link>
        </div>
        <input
          type="search"
          aria-label="Filter"
          placeholder="Filter by name"
          defaultValue={q}
          onChange={(e) => setParam('q', e.target.value || undefined)}
        />
        <span className="spacer" />
        <RangePicker range={range} />
        <button className="btn" onClick={state.reload}>
          Refresh
        </button>
      </div>
      {body}
    </div>
  )
}
