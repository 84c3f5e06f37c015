/** The agent registry: one row per agent (health, card, releases), a click opens its card and links. */
import { Fragment, useState } from 'react'
import type { CardRecord, RegistryAgent } from '@sightline/schema'
import { formatCost, formatRelative } from '../../lib/format'
import { HealthCells, rateText } from './health-cells'
import { Sparkline } from './Sparkline'

function CardDetail({ card }: { card: CardRecord }) {
  const s = card.summary
  return (
    <dl className="detail-grid">
      <div>
        <dt>Agent Card</dt>
        <dd>
          {s.name} {s.version} · A2A {card.protocol} · revision {card.revision} ({card.source}
          {card.sourceUrl ? `, ${card.sourceUrl}` : ''})
        </dd>
      </div>
      <div>
        <dt>Description</dt>
        <dd>{s.description || '–'}</dd>
      </div>
      <div>
        <dt>Endpoints</dt>
        <dd>
          {s.endpoints.map((e) => (
            <div key={`${e.url}|${e.binding}|${e.protocolVersion}`} className="mono small">
              {e.binding} {e.protocolVersion} {e.url}
            </div>
          ))}
        </dd>
      </div>
      <div>
        <dt>Capabilities</dt>
        <dd>
          {[
            s.capabilities.streaming && 'streaming',
            s.capabilities.pushNotifications && 'push notifications',
            ...s.capabilities.extensions,
          ]
            .filter(Boolean)
            .join(', ') || 'none declared'}
        </dd>
      </div>
      <div>
        <dt>Input / output modes</dt>
        <dd>
          {s.defaultInputModes.join(', ') || '–'} → {s.defaultOutputModes.join(', ') || '–'}
        </dd>
      </div>
      <div>
        <dt>Skills</dt>
        <dd>
          {s.skills.map((k) => (
            <div key={k.id}>
              <strong>{k.name}</strong> <span className="muted">{k.description}</span>{' '}
              {k.tags.map((t) => (
                <span key={t} className="chip">
                  {t}
                </span>
              ))}
            </div>
          ))}
        </dd>
      </div>
    </dl>
  )
}

export function AgentsTable({ agents }: { agents: RegistryAgent[] }) {
  const [open, setOpen] = useState<string | undefined>(undefined)
  return (
    <div className="table-wrap">
      <table className="grid" aria-label="Agents">
        <thead>
          <tr>
            <th>Agent</th>
            <th>Service</th>
            <th>Card</th>
            <th>Releases</th>
            <th>Trend</th>
            <th className="num">Calls</th>
            <th className="num">Error rate</th>
            <th className="num">p50</th>
            <th className="num">p95</th>
            <th className="num">Cost</th>
            <th className="num">Delegated</th>
            <th>Last seen</th>
            <th className="num">Anomalies</th>
          </tr>
        </thead>
        <tbody>
          {agents.map((a) => (
            <Fragment key={a.name}>
              <tr
                className={`selectable${open === a.name ? ' open' : ''}`}
                data-agent={a.name}
                onClick={() => setOpen(open === a.name ? undefined : a.name)}
              >
                <td>
                  <strong>{a.name}</strong>
                  {a.isA2a && (
                    <span className="badge" style={{ color: 'var(--accent)' }}>
                      A2A
                    </span>
                  )}
                </td>
                <td>{a.services.join(', ') || '–'}</td>
                <td data-col="card">
                  {a.card ? `${a.card.summary.version} · A2A ${a.card.protocol}` : <span className="muted">none</span>}
                </td>
                <td data-col="releases">
                  {a.releases.map((r) => (
                    <span
                      key={r.release}
                      className={`chip${/canary/.test(r.release) ? ' canary' : ''}`}
                      title={
                        `${r.health.calls} calls, error rate ${rateText(r.health.errorRate)}, ` +
                        `cost ${formatCost(r.health.costUsd)}`
                      }
                    >
                      {r.release}
                    </span>
                  ))}
                </td>
                <td>
                  <Sparkline values={a.health.sparkline} />
                </td>
                <HealthCells health={a.health} showCost />
                <td className="nowrap">{a.lastSeen ? formatRelative(a.lastSeen) : '–'}</td>
                <td className="num">
                  {a.openAnomalies > 0 ? (
                    <a href="/anomalies?status=open" onClick={(e) => e.stopPropagation()}>
                      {a.openAnomalies}
                    </a>
                  ) : (
                    '0'
                  )}
                </td>
              </tr>
              {open === a.name && (
                <tr className="detail">
                  <td colSpan={13}>
                    {a.card ? (
                      <CardDetail card={a.card} />
                    ) : (
                      <p className="muted">
                        No Agent Card: push one with registerAgentCard(card) or `sightline registry add-card
                        &lt;url|file&gt;`.
                      </p>
                    )}
                    <dl className="detail-grid">
                      <div>
                        <dt>Environments</dt>
                        <dd>{a.environments.join(', ') || '–'}</dd>
                      </div>
                      <div>
                        <dt>Tools called</dt>
                        <dd>
                          {a.tools.map((t) => (
                            <a
                              key={t}
                              className="chip"
                              href={`/traces?agent=${encodeURIComponent(a.name)}&tool=${encodeURIComponent(t)}`}
                            >
                              {t}
                            </a>
                          ))}
                          {a.tools.length === 0 && '–'}
                        </dd>
                      </div>
                      <div>
                        <dt>Delegates to</dt>
                        <dd>{a.delegatesTo.join(', ') || '–'}</dd>
                      </div>
                      <div>
                        <dt>Called by</dt>
                        <dd>{a.calledBy.join(', ') || '–'}</dd>
                      </div>
                      <div>
                        <dt>Per release</dt>
                        <dd>
                          {a.releases.map((r) => (
                            <div key={r.release} className="small">
                              {r.release}: {r.health.calls} calls, {rateText(r.health.errorRate)} errors,{' '}
                              {formatCost(r.health.costUsd)}
                              {r.card ? ` · card r${r.card.revision}` : ''}
                            </div>
                          ))}
                        </dd>
                      </div>
                      <div>
                        <dt>Traces</dt>
                        <dd>
                          <a href={`/traces?agent=${encodeURIComponent(a.name)}`}>Open its traces</a>
                        </dd>
                      </div>
                    </dl>
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  )
}
