/**
 * The case's assertions: blocking/advisory toggle, editable limits, and for each one what it does on
 * the source trace, re-checked on every edit. A blocking assertion that passes on the incident could
 * never have caught it, and is flagged.
 */
import {
  BudgetMetricSchema,
  CaseAssertionSchema,
  CaseStepKindSchema,
  type CaseAssertion,
  type CaseAssertionType,
} from '@sightline/schema'
import { useState, type Dispatch, type ReactNode } from 'react'
import type { DraftAction, SourceCheck } from './case-draft'

const TYPES = CaseAssertionSchema.options.map((o) => o.shape.type.value) as CaseAssertionType[]

const num = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text))

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <label className="rc-field">
      <span className="muted small">{label}</span>
      {children}
    </label>
  )
}

/** The type-specific inputs; each edit replaces the whole assertion. */
function Params({ a, set }: { a: CaseAssertion; set: (next: CaseAssertion) => void }) {
  const label = (what: string) => `${a.id} ${what}`
  switch (a.type) {
    case 'trajectory':
      return <span className="muted small">expected trajectory under the match settings above</span>
    case 'no_errors':
      return (
        <label className="rc-check">
          <input
            type="checkbox"
            aria-label={label('include tool errors')}
            checked={a.includeToolErrors}
            onChange={(e) => set({ ...a, includeToolErrors: e.target.checked })}
          />{' '}
          count tool errors too
        </label>
      )
    case 'status':
      return (
        <Field label="equals">
          <select
            aria-label={label('equals')}
            value={a.equals}
            onChange={(e) => set({ ...a, equals: e.target.value as 'ok' | 'error' })}
          >
            <option value="ok">ok</option>
            <option value="error">error</option>
          </select>
        </Field>
      )
    case 'output':
      return (
        <>
          <Field label="op">
            <select
              aria-label={label('op')}
              value={a.op}
              onChange={(e) => set({ ...a, op: e.target.value as typeof a.op })}
            >
              <option value="contains">contains</option>
              <option value="not_contains">not contains</option>
              <option value="regex">regex</option>
            </select>
          </Field>
          <Field label="value">
            <input aria-label={label('value')} value={a.value} onChange={(e) => set({ ...a, value: e.target.value })} />
          </Field>
        </>
      )
    case 'max_repeated_calls':
      return (
        <>
          <Field label="tool">
            <input
              aria-label={label('tool')}
              className="rc-narrow"
              placeholder="any"
              value={a.tool ?? ''}
              onChange={(e) => set({ ...a, tool: e.target.value || undefined })}
            />
          </Field>
          <Field label="max same call">
            <input
              aria-label={label('max')}
              className="rc-num-input"
              type="number"
              min={1}
              value={a.max}
              onChange={(e) => set({ ...a, max: Math.max(1, Math.round(num(e.target.value) ?? 1)) })}
            />
          </Field>
        </>
      )
    case 'step_count':
      return (
        <>
          <Field label="kind">
            <select
              aria-label={label('kind')}
              value={a.kind}
              onChange={(e) => set({ ...a, kind: e.target.value as typeof a.kind })}
            >
              {CaseStepKindSchema.options.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </Field>
          <Field label="name">
            <input
              aria-label={label('name')}
              className="rc-narrow"
              placeholder="any"
              value={a.name ?? ''}
              onChange={(e) => set({ ...a, name: e.target.value || undefined })}
            />
          </Field>
          <Field label="min">
            <input
              aria-label={label('min')}
              className="rc-num-input"
              type="number"
              min={0}
              value={a.min ?? ''}
              onChange={(e) => set({ ...a, min: num(e.target.value) })}
            />
          </Field>
          <Field label="max">
            <input
              aria-label={label('max')}
              className="rc-num-input"
              type="number"
              min={0}
              value={a.max ?? ''}
              onChange={(e) => set({ ...a, max: num(e.target.value) })}
            />
          </Field>
        </>
      )
    case 'budget':
      return (
        <>
          <Field label="metric">
            <select
              aria-label={label('metric')}
              value={a.metric}
              onChange={(e) => set({ ...a, metric: e.target.value as typeof a.metric })}
            >
              {BudgetMetricSchema.options.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </Field>
          <Field label="max">
            <input
              aria-label={label('max')}
              className="rc-num-input"
              type="number"
              min={0}
              step="any"
              value={a.max}
              onChange={(e) => set({ ...a, max: Math.max(0, num(e.target.value) ?? 0) })}
            />
          </Field>
        </>
      )
  }
}

function Verdict({ check, blocking }: { check: SourceCheck | undefined; blocking: boolean }) {
  if (!check) return null
  if (check.isUseless) {
    return (
      <div className="rc-verdict warn" role="alert">
        <strong>Could never fail:</strong> passes on the source trace, so it could never have caught this incident (
        {check.detail}). Tighten it or make it advisory.
      </div>
    )
  }
  if (check.wouldFail)
    return (
      <div className="rc-verdict ok">
        <strong>Fails on the source trace ✓</strong> <span className="muted">{check.detail}</span>
      </div>
    )
  return (
    <div className="rc-verdict muted">
      {blocking ? '' : 'Advisory; '}passes on the source trace: {check.detail}
    </div>
  )
}

export function AssertionsEditor({
  assertions,
  checks,
  dispatch,
}: {
  assertions: CaseAssertion[]
  checks: SourceCheck[]
  dispatch: Dispatch<DraftAction>
}) {
  const [newType, setNewType] = useState<CaseAssertionType>('budget')
  const useless = checks.filter((c) => c.isUseless).length
  return (
    <section className="rc-card" aria-label="Assertions">
      <div className="rc-card-head">
        <h3>Assertions</h3>
        <span className="muted small">
          Blocking assertions decide the verdict; advisory ones are reported only. Each is checked against the original
          trace.
        </span>
        <span className="spacer" />
        {useless > 0 && <span className="pill err">{useless} could never fail</span>}
      </div>
      <ul className="rc-assertions">
        {assertions.map((a, i) => {
          const check = checks[i]
          const set = (next: CaseAssertion) => dispatch({ type: 'updateAssertion', index: i, assertion: next })
          return (
            <li
              key={i}
              className={`rc-assertion${check?.isUseless ? ' useless' : ''}`}
              data-assertion-id={a.id}
              aria-label={`Assertion ${a.id}`}
            >
              <div className="rc-assertion-row">
                <span className="tag mono">{a.type}</span>
                <input
                  aria-label={`Assertion ${i + 1} id`}
                  className="mono rc-id"
                  value={a.id}
                  onChange={(e) => set({ ...a, id: e.target.value })}
                />
                <Params a={a} set={set} />
                <span className="spacer" />
                <label className="rc-toggle">
                  <input
                    type="checkbox"
                    aria-label={`${a.id} blocking`}
                    checked={a.blocking}
                    onChange={(e) => set({ ...a, blocking: e.target.checked })}
                  />
                  {a.blocking ? 'blocking' : 'advisory'}
                </label>
                <button
                  className="btn ghost small"
                  aria-label={`Remove assertion ${a.id}`}
                  onClick={() => dispatch({ type: 'removeAssertion', index: i })}
                >
                  ✕
                </button>
              </div>
              {a.description && <div className="muted small">{a.description}</div>}
              <Verdict check={check} blocking={a.blocking} />
            </li>
          )
        })}
      </ul>
      <div className="rc-add">
        <select
          aria-label="New assertion type"
          value={newType}
          onChange={(e) => setNewType(e.target.value as CaseAssertionType)}
        >
          {TYPES.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <button className="btn small" onClick={() => dispatch({ type: 'addAssertion', assertionType: newType })}>
          Add assertion
        </button>
      </div>
    </section>
  )
}
