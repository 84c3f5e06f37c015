/**
 * The shading layer the dashboard charts render: one area per incident over its window, coloured by
 * severity; a click on an area opens the incident (and does not reach the chart's own click, which
 * opens the explorer for a point).
 */
import { ReferenceArea } from 'recharts'
import type { IncidentArea } from './incident-areas'

const COLOUR = { critical: '#e03131', warning: '#e8890c', info: '#868e96' } as const

export function IncidentShading({
  areas,
  onOpen,
}: {
  areas: readonly IncidentArea[]
  onOpen: (incidentId: string) => void
}) {
  return (
    <>
      {areas.map((a) => (
        <ReferenceArea
          key={a.id}
          className="incident-area"
          x1={a.x1}
          x2={a.x2}
          fill={COLOUR[a.severity]}
          fillOpacity={0.14}
          stroke={COLOUR[a.severity]}
          strokeOpacity={0.5}
          ifOverflow="extendDomain"
          style={{ cursor: 'pointer' }}
          onClick={(e: { stopPropagation?: () => void }) => {
            e.stopPropagation?.()
            onOpen(a.id)
          }}
          label={{ value: '⚠', position: 'insideTop', fontSize: 12, fill: '#b35c00' }}
        />
      ))}
    </>
  )
}
