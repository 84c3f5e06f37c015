/**
 * A new online evaluator: which traces (explorer filters as a query string), sampling, delay, and what evaluates them.
 */
import type { EvaluatorConfig, TraceFilter } from '@sightline/schema'
import { useState } from 'react'
import { useQuery } from '../../api/use-query'
import { evaluatorsApi } from './evaluators-api'

type Kind = 'trajectory' | 'outcome' | 'llm_judge'
const DEFAULT_RUBRIC =
  'The user asked:\n{{input}}\n\nThe agent answered:\n{{output}}\n\nSteps:\n{{trajectory}}\n\nOutcome: ' +
  '{{outcome}} {{error}}\n\nDid the agent solve the task correctly and helpfully? 1 = fully, 0 = not at all.'

export function EvaluatorForm({ judgeConfigured, onSaved }: { judgeConfigured: boolean; onSaved: () => void }) {
  const references = useQuery('references', (signal) => evaluatorsApi.references(signal))
  const [id, setId] = useState('')
  const [scoreName, setScoreName] = useState('')
  const [kind, setKind] = useState<Kind>('trajectory')
  const [metric, setMetric] = useState('in_order')
  const [reference, setReference] = useState('')
  const [check, setCheck] = useState('no_escalation')
  const [value, setValue] = useState('')
  const [rubric, setRubric] = useState(DEFAULT_RUBRIC)
  const [filter, setFilter] = useState('')
  const [sampleRate, setSampleRate] = useState('1')
  const [delay, setDelay] = useState('60')
  const [error, setError] = useState('')
  const config = (): EvaluatorConfig => {
    if (kind === 'trajectory')
      return metric === 'single_tool'
        ? { type: 'trajectory', metric: 'single_tool', tool: value, scope: '' }
        : {
            type: 'trajectory',
            metric: metric as 'in_order',
            reference: reference.startsWith('case:')
              ? { kind: 'case', caseId: reference.slice(5) }
              : { kind: 'reference', id: reference },
            scope: '',
          }
    if (kind === 'outcome')
      return {
        type: 'outcome',
        check: check as 'no_escalation',
        caseSensitive: false,
        ...(check.endsWith('_budget')
          ? { max: Number(value) }
          : check === 'json_schema'
            ? { jsonSchema: JSON.parse(value || '{}') as Record<string, unknown> }
            : check === 'no_escalation'
              ? {}
              : { value }),
      }
    return { type: 'llm_judge', rubric, scoreMin: 0, scoreMax: 1, maxOutputTokens: 400, budgetUsdPerDay: 5 }
  }
  const save = async () => {
    try {
      const parsedFilter = Object.fromEntries(new URLSearchParams(filter)) as TraceFilter
      await evaluatorsApi.put(id, {
        name: id,
        scoreName: scoreName || id,
        filter: parsedFilter,
        sampleRate: Number(sampleRate),
        delaySeconds: Number(delay),
        passThreshold: kind === 'llm_judge' ? 0.5 : 1,
        enabled: true,
        config: config(),
      })
      setError('')
      onSaved()
    } catch (err) {
      setError((err as Error).message)
    }
  }
  return (
    <div className="score-panel" aria-label="New evaluator">
      <div className="controls">
        <input
          aria-label="Evaluator id"
          placeholder="id, e.g. refund-path"
          value={id}
          onChange={(e) => setId(e.target.value)}
        />
        <input
          aria-label="Score name"
          placeholder="score name (default: the id)"
          value={scoreName}
          onChange={(e) => setScoreName(e.target.value)}
        />
        <select aria-label="Evaluator type" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
          <option value="trajectory">trajectory</option>
          <option value="outcome">outcome</option>
          <option value="llm_judge" disabled={!judgeConfigured}>
            LLM judge{judgeConfigured ? '' : ' (set SIGHTLINE_JUDGE_URL)'}
          </option>
        </select>
        {kind === 'trajectory' && (
          <>
            <select aria-label="Metric" value={metric} onChange={(e) => setMetric(e.target.value)}>
              {['exact', 'in_order', 'any_order', 'precision', 'recall', 'single_tool'].map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
            {metric === 'single_tool' ? (
              <input
                aria-label="Tool"
                placeholder="tool name"
                value={value}
                onChange={(e) => setValue(e.target.value)}
              />
            ) : (
              <select aria-label="Reference" value={reference} onChange={(e) => setReference(e.target.value)}>
                <option value="">reference…</option>
                {references.data?.map((r) => (
                  <option key={r.id} value={r.id}>
                    {r.name}
                  </option>
                ))}
              </select>
            )}
          </>
        )}
        {kind === 'outcome' && (
          <>
            <select aria-label="Check" value={check} onChange={(e) => setCheck(e.target.value)}>
              {[
                'no_escalation',
                'exact',
                'contains',
                'regex',
                'json_schema',
                'cost_budget',
                'latency_budget',
                'step_budget',
              ].map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
            {check !== 'no_escalation' && (
              <input
                aria-label="Check value"
                placeholder={
                  check.endsWith('_budget') ? 'max' : check === 'json_schema' ? '{"type":"object"}' : 'expected text'
                }
                value={value}
                onChange={(e) => setValue(e.target.value)}
              />
            )}
          </>
        )}
        <input
          aria-label="Trace filter"
          placeholder="filters, e.g. agent=planner&status=failed"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <label className="small">
          sample{' '}
          <input
            aria-label="Sample rate"
            className="tiny"
            value={sampleRate}
            onChange={(e) => setSampleRate(e.target.value)}
          />
        </label>
        <label className="small">
          delay s{' '}
          <input aria-label="Delay seconds" className="tiny" value={delay} onChange={(e) => setDelay(e.target.value)} />
        </label>
        <button className="btn primary" disabled={!id} onClick={() => void save()}>
          Save evaluator
        </button>
      </div>
      {kind === 'llm_judge' && (
        <textarea aria-label="Rubric" rows={6} value={rubric} onChange={(e) => setRubric(e.target.value)} />
      )}
      {error && <div className="form-error">{error}</div>}
    </div>
  )
}
