/** `/evaluators`: online evaluators with their stats and runs; "Run now" evaluates due traces at once. */
import type { Evaluator } from '@sightline/schema'
import { Fragment, useState } from 'react'
import { useQuery } from '../../api/use-query'
import { Empty, ErrorState, Loading } from '../../components/States'
import { formatCost, formatTimestamp } from '../../lib/format'
import '../scores/scores.css'
import { EvaluatorForm } from './EvaluatorForm'
import { EvaluatorRuns } from './EvaluatorRuns'
import { evaluatorsApi } from './evaluators-api'

const describe = (e: Evaluator): string => {
  const c = e.config
  if (c.type === 'trajectory') {
    const reference = c.reference?.kind === 'case' ? `case ${c.reference.caseId}` : c.reference?.id
    return `trajectory ${c.metric}${c.reference ? ` vs ${reference}` : ` ${c.tool ?? ''}`}`
  }
  if (c.type === 'outcome')
    return `outcome ${c.check}${c.max !== undefined ? ` ≤ ${c.max}` : c.value ? ` ${c.value}` : ''}`
  return `LLM judge${c.model ? ` (${c.model})` : ''}, ≤ $${c.budgetUsdPerDay}/day`
}

export default function EvaluatorsPage() {
  const [nonce, setNonce] = useState(0)
  const [open, setOpen] = useState<string | null>(null)
  const [message, setMessage] = useState('')
  const list = useQuery(`evaluators:${nonce}`, (signal) => evaluatorsApi.list(signal))
  const reload = () => setNonce((n) => n + 1)
  const runNow = async (id: string) => {
    const r = await evaluatorsApi.runNow(id).catch((err: Error) => setMessage(err.message))
    if (r) setMessage(`${id}: ${r.evaluated} evaluated, ${r.errors} errors, ${r.skipped} over budget`)
    reload()
  }
  return (
    <div className="page">
      <div className="page-head">
        <h1>Evaluators</h1>
        <span className="muted small">score a sample of production traces as they end</span>
      </div>
      {list.data && <EvaluatorForm judgeConfigured={list.data.judgeConfigured} onSaved={reload} />}
      {message && (
        <div className="review-message" role="status">
          {message}
        </div>
      )}
      {list.error ? (
        <ErrorState error={list.error} onRetry={list.reload} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.evaluators.length === 0 ? (
        <Empty title="No evaluators yet">
          Save a reference trajectory from a good trace (review screen, key r), then add a trajectory evaluator.
        </Empty>
      ) : (
        <div className="table-wrap">
          <table className="grid">
            <thead>
              <tr>
                <th>Evaluator</th>
                <th>Score</th>
                <th>What</th>
                <th>Traces</th>
                <th className="num">Sample</th>
                <th className="num">Runs</th>
                <th className="num">Errors</th>
                <th className="num">Cost</th>
                <th>Last run</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.data.evaluators.map((e) => (
                <Fragment key={e.id}>
                  <tr>
                    <td>
                      <button
                        className="btn ghost small"
                        aria-expanded={open === e.id}
                        onClick={() => setOpen(open === e.id ? null : e.id)}
                      >
                        {open === e.id ? '▾' : '▸'} {e.name}
                      </button>{' '}
                      <span className="muted small">v{e.version}</span>
                    </td>
                    <td className="mono">{e.scoreName}</td>
                    <td>{describe(e)}</td>
                    <td className="small">
                      {new URLSearchParams(e.filter as Record<string, string>).toString() || 'all'}
                      {e.delaySeconds ? `, ${e.delaySeconds}s after they end` : ''}
                    </td>
                    <td className="num">{Math.round(e.sampleRate * 100)} %</td>
                    <td className="num">{e.stats.runs}</td>
                    <td className="num">{e.stats.errors}</td>
                    <td className="num">{formatCost(e.stats.costUsd)}</td>
                    <td className="nowrap">{e.stats.lastRunAt ? formatTimestamp(e.stats.lastRunAt) : '—'}</td>
                    <td className="nowrap">
                      <button className="btn small" onClick={() => void runNow(e.id)}>
                        Run now
                      </button>
                      <button className="btn ghost small" onClick={() => void evaluatorsApi.remove(e.id).then(reload)}>
                        Delete
                      </button>
                    </td>
                  </tr>
                  {open === e.id && (
                    <tr>
                      <td colSpan={10}>
                        <EvaluatorRuns id={e.id} nonce={nonce} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  )
}
