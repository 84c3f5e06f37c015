/** A dashboard card: title, optional controls, and the chart or its loading / empty / error state. */
import type { ReactNode } from 'react'
import type { QueryState } from '../../api/use-query'
import { ErrorState, Loading } from '../../components/States'

interface Props<T> {
  title: string
  note?: ReactNode
  controls?: ReactNode
  query: QueryState<T>
  isEmpty: (data: T) => boolean
  emptyText: string
  children: (data: T) => ReactNode
}

export function ChartPanel<T>({ title, note, controls, query, isEmpty, emptyText, children }: Props<T>) {
  return (
    <section className="card" aria-label={title}>
      <div className="card-head">
        <h3>{title}</h3>
        {note && <span className="muted small">{note}</span>}
        <span className="spacer" />
        {controls}
      </div>
      {query.error ? (
        <ErrorState error={query.error} onRetry={query.reload} />
      ) : query.data === undefined ? (
        <Loading label={`Loading ${title.toLowerCase()}…`} />
      ) : isEmpty(query.data) ? (
        <div className="card-empty muted">{emptyText}</div>
      ) : (
        children(query.data)
      )}
    </section>
  )
}
