import { TraceOutcomeSchema, TraceTagSchema } from '@sightline/schema'
import { useEffect, useState } from 'react'
import { api } from '../../api/client'
import { useQuery } from '../../api/use-query'
import { LIST_FILTERS, RANGE_PRESETS, resolveRange, type ExplorerQuery, type ListFilter } from './explorer-url'
import { MultiPicker } from './MultiPicker'
import { ScoreFilterInput } from '../scores/ScoreFilterInput'

const LABELS: Record<ListFilter, string> = {
  service: 'Service',
  release: 'Release',
  environment: 'Environment',
  agent: 'Agent',
  model: 'Model',
  tool: 'Tool',
}
const FACET_KEYS = {
  service: 'services',
  release: 'releases',
  environment: 'environments',
  agent: 'agents',
  model: 'models',
  tool: 'tools',
} as const

const toLocalInput = (iso: string) => {
  if (!iso) return ''
  const d = new Date(iso)
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16)
}
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : '')

/** A text box that writes to the URL on Enter or blur, not on every keystroke. */
function CommitInput({
  value,
  onCommit,
  ...rest
}: { value: string; onCommit: (v: string) => void } & Omit<
  React.InputHTMLAttributes<HTMLInputElement>,
  'value' | 'onChange'
>) {
  const [draft, setDraft] = useState(value)
  useEffect(() => setDraft(value), [value])
  return (
    <input
      {...rest}
      value={draft}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => draft !== value && onCommit(draft)}
      onKeyDown={(e) => e.key === 'Enter' && onCommit(draft)}
    />
  )
}

export function FilterBar({ q, update }: { q: ExplorerQuery; update: (patch: Partial<ExplorerQuery>) => void }) {
  const range = resolveRange(q)
  // Facets for the range's day granularity: re-fetching on every clock tick would be wasteful.
  const facetKey = `${range.from?.slice(0, 13)}|${range.to?.slice(0, 13)}`
  const facets = useQuery(facetKey, (signal) => api.getFacets(range, signal))
  const setList = (key: ListFilter, values: string[]) => update({ lists: { ...q.lists, [key]: values }, pages: 1 })

  return (
    <div className="filterbar">
      <div className="filter-row">
        <CommitInput
          className="search"
          type="search"
          placeholder="Search names, inputs, outputs, tool arguments…"
          aria-label="Search"
          value={q.q}
          onCommit={(v) => update({ q: v.trim(), pages: 1 })}
        />
        <select
          aria-label="Time range"
          value={q.range}
          onChange={(e) => {
            const value = e.target.value as ExplorerQuery['range']
            if (value === 'custom') update({ range: 'custom', from: range.from ?? '', to: range.to ?? '', pages: 1 })
            else update({ range: value, from: '', to: '', pages: 1 })
          }}
        >
          {Object.keys(RANGE_PRESETS).map((p) => (
            <option key={p} value={p}>
              Last {p}
            </option>
          ))}
          <option value="custom">Custom…</option>
        </select>
        {q.range === 'custom' && (
          <>
            <input
              type="datetime-local"
              aria-label="From"
              value={toLocalInput(q.from)}
              onChange={(e) => update({ from: fromLocalInput(e.target.value), pages: 1 })}
            />
            <span className="muted">→</span>
            <input
              type="datetime-local"
              aria-label="To"
              value={toLocalInput(q.to)}
              onChange={(e) => update({ to: fromLocalInput(e.target.value), pages: 1 })}
            />
          </>
        )}
        <label className={q.isLive ? 'live-toggle on' : 'live-toggle'}>
          <input type="checkbox" checked={q.isLive} onChange={(e) => update({ isLive: e.target.checked })} /> Live
        </label>
      </div>
      <div className="filter-row">
        {LIST_FILTERS.map((key) => (
          <MultiPicker
            key={key}
            label={LABELS[key]}
            options={facets.data?.[FACET_KEYS[key]] ?? []}
            value={q.lists[key]}
            onChange={(v) => setList(key, v)}
          />
        ))}
        <MultiPicker
          label="Outcome"
          options={TraceOutcomeSchema.options}
          value={q.outcomes}
          onChange={(v) => update({ outcomes: TraceOutcomeSchema.options.filter((o) => v.includes(o)), pages: 1 })}
        />
        <MultiPicker
          label="Tag"
          options={TraceTagSchema.options}
          value={q.tags}
          onChange={(v) => update({ tags: TraceTagSchema.options.filter((t) => v.includes(t)), pages: 1 })}
        />
        <label className="check-toggle" title="Traces of `sightline regress` replays are left out unless asked for">
          <input
            type="checkbox"
            checked={q.includeRegression}
            onChange={(e) => update({ includeRegression: e.target.checked, pages: 1 })}
          />{' '}
          Include regression runs
        </label>
        <CommitInput
          className="narrow"
          placeholder="Session id"
          aria-label="Session id"
          value={q.sessionId}
          onCommit={(v) => update({ sessionId: v.trim(), pages: 1 })}
        />
        <CommitInput
          className="narrow"
          placeholder="User id"
          aria-label="User id"
          value={q.userId}
          onCommit={(v) => update({ userId: v.trim(), pages: 1 })}
        />
        <CommitInput
          className="tiny"
          type="number"
          min="0"
          step="0.001"
          placeholder="Min $"
          aria-label="Minimum cost (USD)"
          value={q.minCostUsd}
          onCommit={(v) => update({ minCostUsd: v, pages: 1 })}
        />
        <CommitInput
          className="tiny"
          type="number"
          min="0"
          placeholder="Min ms"
          aria-label="Minimum duration (ms)"
          value={q.minDurationMs}
          onCommit={(v) => update({ minDurationMs: v, pages: 1 })}
        />
        <ScoreFilterInput value={q.score} onCommit={(score) => update({ score, pages: 1 })} />
        {facets.error && (
          <span className="muted small" title={facets.error.message}>
            filter values unavailable
          </span>
        )}
      </div>
    </div>
  )
}
