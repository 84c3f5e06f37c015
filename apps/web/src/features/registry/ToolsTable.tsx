/** The tool registry: MCP tools by server and local function tools, with schema, callers and health. */
import { Fragment, useState } from 'react'
import type { RegistryTool } from '@sightline/schema'
import { HealthCells } from './health-cells'
import { Sparkline } from './Sparkline'

const key = (t: RegistryTool) => `${t.server}/${t.name}`

export function ToolsTable({ tools }: { tools: RegistryTool[] }) {
  const [open, setOpen] = useState<string | undefined>(undefined)
  return (
    <div className="table-wrap">
      <table className="grid" aria-label="Tools">
        <thead>
          <tr>
            <th>Tool</th>
            <th>Server</th>
            <th>Version</th>
            <th>Transport</th>
            <th>Schema</th>
            <th>Callers</th>
            <th>Trend</th>
            <th className="num">Calls</th>
            <th className="num">Error rate</th>
            <th className="num">p50</th>
            <th className="num">p95</th>
          </tr>
        </thead>
        <tbody>
          {tools.map((t) => (
            <Fragment key={key(t)}>
              <tr
                className={`selectable${open === key(t) ? ' open' : ''}`}
                data-tool={key(t)}
                onClick={() => setOpen(open === key(t) ? undefined : key(t))}
              >
                <td>
                  <strong>{t.name}</strong>
                  {t.listed === false && (
                    <span className="pill warn" title="The server's latest tools/list did not include it">
                      not listed
                    </span>
                  )}
                </td>
                <td>
                  {t.isMcp ? (
                    t.server
                  ) : (
                    <span className="muted">
                      local to {t.callers.map((c) => c.agent || 'unattributed').join(', ') || '–'}
                    </span>
                  )}
                </td>
                <td>{t.serverVersion || '–'}</td>
                <td className="small">
                  {t.transport || '–'}
                  {t.url ? <div className="mono muted">{t.url}</div> : null}
                </td>
                <td data-col="schema">
                  {t.inputSchema === null ? (
                    <span className="muted">unknown</span>
                  ) : (
                    `${t.schemaSource}${t.schemaVersions > 1 ? ` · ${t.schemaVersions} versions` : ''}`
                  )}
                </td>
                <td data-col="callers">
                  {t.callers.map((c) => (
                    <span key={c.agent} className="chip" title={`${c.calls} calls, ${c.failures} failed`}>
                      {c.agent || 'unattributed'}
                    </span>
                  ))}
                </td>
                <td>
                  <Sparkline values={t.health.sparkline} />
                </td>
                <HealthCells health={t.health} showCost={false} />
              </tr>
              {open === key(t) && (
                <tr className="detail">
                  <td colSpan={11}>
                    <dl className="detail-grid">
                      <div>
                        <dt>Description</dt>
                        <dd>{t.description || '–'}</dd>
                      </div>
                      <div>
                        <dt>Input schema</dt>
                        <dd>
                          {t.inputSchema === null ? (
                            'Not captured (wrap tools/list in withMcpToolsList, or send gen_ai.tool.definitions).'
                          ) : (
                            <pre className="schema">{JSON.stringify(t.inputSchema, null, 2)}</pre>
                          )}
                        </dd>
                      </div>
                      <div>
                        <dt>Traces</dt>
                        <dd>
                          <a href={`/traces?tool=${encodeURIComponent(t.name)}`}>Open its traces</a>
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
