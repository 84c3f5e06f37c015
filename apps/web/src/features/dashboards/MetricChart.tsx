/**
 * A chart panel bound to the API: loads its series, shades the incidents it concerns (a click opens
 * the incident; the list under the chart links to it and to its traces), and turns a click on a
 * point into the explorer link for that dimension value and bucket.
 */
import type { AnalyticsDimension, AnalyticsStep, Incident, SeriesResponse } from '@sightline/schema'
import type { ReactNode } from 'react'
import { Link, useLocation } from 'wouter'
import { formatTimestamp } from '../../lib/format'
import { incidentAreas } from '../anomalies/incident-areas'
import { incidentTracesLink } from '../anomalies/incident-view'
import { ChartPanel } from './ChartPanel'
import { hasData, type ChartData } from './chart-data'
import type { Range, SeriesParams } from './dashboard-api'
import { bucketRange, explorerLink, type ExplorerLinkTarget } from './explorer-link'
import { SeriesChart } from './SeriesChart'
import { useSeries } from './use-series'

export interface MetricChartProps {
  title: string
  note?: ReactNode
  controls?: ReactNode
  range: Range
  step: AnalyticsStep
  refresh: number
  requests: ReadonlyArray<Omit<SeriesParams, 'from' | 'to' | 'step'>>
  toChart: (responses: SeriesResponse[]) => ChartData
  kind: 'bars' | 'lines'
  format: (value: number) => string
  formatTick?: (value: number) => string
  /** The dimension a clicked series stands for (its value goes into the explorer filter). */
  dimension: AnalyticsDimension
  incidents: readonly Incident[]
  link?: Pick<ExplorerLinkTarget, 'outcomes' | 'sort'>
  /** Shown under the chart (e.g. a split's totals). */
  footer?: (data: ChartData) => ReactNode
}

export function MetricChart(props: MetricChartProps) {
  const [, navigate] = useLocation()
  const params = props.requests.map((r) => ({ ...r, ...props.range, step: props.step }))
  const query = useSeries(params, props.refresh)
  return (
    <ChartPanel
      title={props.title}
      note={props.note}
      controls={props.controls}
      query={query}
      isEmpty={(responses) => !hasData(props.toChart(responses))}
      emptyText="No data in this range."
    >
      {(responses) => {
        const data = props.toChart(responses)
        const areas = incidentAreas(props.incidents, data.rows, props.step)
        return (
          <>
            <SeriesChart
              data={data}
              step={props.step}
              kind={props.kind}
              format={props.format}
              formatTick={props.formatTick}
              areas={areas}
              onPick={(series, t) =>
                navigate(
                  explorerLink({
                    dimension: props.dimension,
                    value: series?.value ?? null,
                    ...bucketRange(t, props.step),
                    ...props.link,
                  }),
                )
              }
              onOpenIncident={(id) => navigate(`/anomalies/${id}`)}
            />
            {props.footer?.(data)}
            {areas.length > 0 && (
              <ul className="chart-anomalies">
                {props.incidents
                  .filter((i) => areas.some((a) => a.id === i.id))
                  .map((i) => (
                    <li key={i.id}>
                      ⚠ <Link href={`/anomalies/${i.id}`}>{i.title}</Link>{' '}
                      <span className="muted">from {formatTimestamp(i.firstSeenAt)}</span>{' '}
                      <Link href={incidentTracesLink(i)}>traces</Link>
                    </li>
                  ))}
              </ul>
            )}
          </>
        )
      }}
    </ChartPanel>
  )
}
