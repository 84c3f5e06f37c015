/**
 * `/traces/:traceId/regression`: the "Export as regression test" editor. The server proposes the case
 * (failure, expected trajectory, assertions, redaction); the editor keeps a draft in a reducer,
 * re-checks every assertion against the source trace in the browser (schema's `observeRun` +
 * `evaluateAssertion`), downloads the case and its Vitest file (schema's `generateVitestFile`, the
 * server's generator) and saves it to a suite.
 */
import {
  FailureCategorySchema,
  PassRuleSchema,
  type RegressionCaseProposalResponse,
  type TraceOutcome,
} from '@sightline/schema'
import { generateVitestFile, observeRun, type ObservedRun } from '@sightline/core'
import { useMemo, useReducer, useState, type Dispatch } from 'react'
import { Link } from 'wouter'
import { api } from '../../api/client'
import { useQuery } from '../../api/use-query'
import { ErrorState, Loading } from '../../components/States'
import { OutcomePill } from '../../components/TraceStory'
import { AssertionsEditor } from './AssertionsEditor'
import { checkAgainstSource, draftReducer, validateDraft, type Draft, type DraftAction } from './case-draft'
import { caseFileName, downloadText, vitestFileName } from './download'
import { RedactionPreview } from './RedactionPreview'
import { regressionApi } from './regression-api'
import { TrajectoryEditor } from './TrajectoryEditor'
import './regression.css'

interface Loaded {
  proposal: RegressionCaseProposalResponse
  run: ObservedRun
  traceName: string
  traceOutcome: TraceOutcome
}

async function load(traceId: string, signal: AbortSignal): Promise<Loaded> {
  const [proposal, detail] = await Promise.all([
    regressionApi.propose(traceId, {}, signal),
    api.getTrace(traceId, signal),
  ])
  return { proposal, run: observeRun(detail.spans), traceName: detail.trace.name, traceOutcome: detail.trace.outcome }
}

export default function ExportCasePage({ traceId }: { traceId: string }) {
  const loaded = useQuery(`export:${traceId}`, (signal) => load(traceId, signal))
  const head = (
    <div className="page-head">
      <Link href="/traces" className="muted">
        Traces
      </Link>
      <span className="muted">/</span>
      <Link href={`/traces/${traceId}`} className="muted">
        {loaded.data?.traceName || traceId.slice(0, 12)}
      </Link>
      <span className="muted">/</span>
      <h1>Export as regression test</h1>
      {loaded.data && <OutcomePill outcome={loaded.data.traceOutcome} />}
    </div>
  )
  if (loaded.error)
    return (
      <div className="page">
        {head}
        <ErrorState error={loaded.error} onRetry={loaded.reload} />
      </div>
    )
  if (!loaded.data)
    return (
      <div className="page">
        {head}
        <Loading label="Proposing a regression case…" />
      </div>
    )
  return (
    <div className="page rc-page">
      {head}
      <Editor key={traceId} traceId={traceId} loaded={loaded.data} />
    </div>
  )
}

function Editor({ traceId, loaded }: { traceId: string; loaded: Loaded }) {
  const { proposal, run } = loaded
  const [draft, dispatch] = useReducer(draftReducer, proposal.case)
  const checks = useMemo(() => checkAgainstSource(draft, run), [draft, run])
  const validation = useMemo(() => validateDraft(draft), [draft])
  const failure = draft.failure
  return (
    <>
      {proposal.warnings.map((w) => (
        <div key={w} className="notice">
          {w}
        </div>
      ))}
      <section className="rc-card" aria-label="Failure">
        <div className="rc-card-head">
          <h3>What went wrong</h3>
          <span className="muted small">
            Detected by {failure.detectedBy}; {failure.evidenceSpanIds.length} evidence span(s).
          </span>
        </div>
        <div className="rc-form">
          <label className="rc-field">
            <span className="muted small">Category</span>
            <select
              aria-label="Failure category"
              value={failure.category}
              onChange={(e) =>
                dispatch({ type: 'setFailure', patch: { category: e.target.value as Draft['failure']['category'] } })
              }
            >
              {FailureCategorySchema.options.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <label className="rc-field grow">
            <span className="muted small">Failure reason</span>
            <textarea
              aria-label="Failure reason"
              rows={2}
              value={failure.summary}
              onChange={(e) => dispatch({ type: 'setFailure', patch: { summary: e.target.value } })}
            />
          </label>
        </div>
        <div className="rc-form">
          <label className="rc-field grow">
            <span className="muted small">Title</span>
            <input
              aria-label="Case title"
              value={draft.title}
              onChange={(e) => dispatch({ type: 'setMeta', patch: { title: e.target.value } })}
            />
          </label>
          <label className="rc-field">
            <span className="muted small">Case id</span>
            <input
              aria-label="Case id"
              className="mono rc-case-id"
              value={draft.id}
              onChange={(e) => dispatch({ type: 'setMeta', patch: { id: e.target.value } })}
            />
          </label>
          <label className="rc-field">
            <span className="muted small">Severity</span>
            <select
              aria-label="Severity"
              value={draft.severity}
              onChange={(e) => dispatch({ type: 'setMeta', patch: { severity: e.target.value as Draft['severity'] } })}
            >
              <option value="critical">critical</option>
              <option value="major">major</option>
              <option value="minor">minor</option>
            </select>
          </label>
        </div>
        <div className="muted small">
          Agent <strong>{draft.agent.name}</strong>{' '}
          {draft.agent.release && (
            <>
              release <span className="mono">{draft.agent.release}</span>
            </>
          )}{' '}
          · {draft.agent.protocol} · input{' '}
          <span className="mono">
            {JSON.stringify(draft.input.text.length > 120 ? `${draft.input.text.slice(0, 119)}…` : draft.input.text)}
          </span>{' '}
          · replays {draft.recordings.tools.length} recorded tool result(s), {draft.recordings.agents.length} sub-agent
          answer(s)
        </div>
      </section>
      <TrajectoryEditor draft={draft} dispatch={dispatch} />
      <AssertionsEditor assertions={draft.assertions} checks={checks} dispatch={dispatch} />
      <PolicyEditor draft={draft} dispatch={dispatch} />
      <RedactionPreview traceId={traceId} draft={draft} fields={proposal.redaction.fields} />
      <Output validation={validation} />
    </>
  )
}

function PolicyEditor({ draft, dispatch }: { draft: Draft; dispatch: Dispatch<DraftAction> }) {
  const { policy } = draft
  const rule = typeof policy.passRule === 'string' ? policy.passRule : 'all'
  return (
    <section className="rc-card" aria-label="Run policy">
      <div className="rc-card-head">
        <h3>Run policy</h3>
        <span className="muted small">LLM agents are not deterministic: run the case several times.</span>
      </div>
      <div className="rc-form">
        <label className="rc-field">
          <span className="muted small">Runs</span>
          <input
            aria-label="Runs"
            className="rc-num-input"
            type="number"
            min={1}
            max={50}
            value={policy.runs}
            onChange={(e) =>
              dispatch({
                type: 'setPolicy',
                patch: { runs: Math.max(1, Math.min(50, Math.round(Number(e.target.value) || 1))) },
              })
            }
          />
        </label>
        <label className="rc-field">
          <span className="muted small">Pass rule</span>
          <select
            aria-label="Pass rule"
            value={rule}
            onChange={(e) => dispatch({ type: 'setPolicy', patch: { passRule: PassRuleSchema.parse(e.target.value) } })}
          >
            <option value="all">all runs pass</option>
            <option value="majority">majority</option>
            <option value="any">any run passes</option>
          </select>
        </label>
        <label className="rc-field">
          <span className="muted small">Timeout (s)</span>
          <input
            aria-label="Timeout seconds"
            className="rc-num-input"
            type="number"
            min={1}
            value={policy.timeoutSeconds}
            onChange={(e) =>
              dispatch({ type: 'setPolicy', patch: { timeoutSeconds: Math.max(1, Number(e.target.value) || 1) } })
            }
          />
        </label>
        <label className="rc-field">
          <span className="muted small">Expect release</span>
          <input
            aria-label="Expect release"
            placeholder="any"
            value={policy.expectRelease ?? ''}
            onChange={(e) => dispatch({ type: 'setPolicy', patch: { expectRelease: e.target.value || undefined } })}
          />
        </label>
      </div>
    </section>
  )
}

function Output({ validation }: { validation: ReturnType<typeof validateDraft> }) {
  const [suite, setSuite] = useState('default')
  const [save, setSave] = useState<
    { state: 'idle' | 'saving' } | { state: 'saved'; id: string; suite: string } | { state: 'error'; message: string }
  >({ state: 'idle' })
  const rc = validation.ok ? validation.rc : null
  const onSave = async () => {
    if (!rc) return
    setSave({ state: 'saving' })
    try {
      const saved = await regressionApi.saveCase(suite, rc)
      setSave({ state: 'saved', id: saved.case.id, suite: saved.suite })
    } catch (err) {
      setSave({ state: 'error', message: (err as Error).message })
    }
  }
  return (
    <section className="rc-card rc-output" aria-label="Export">
      {!validation.ok && (
        <div className="form-error" role="alert">
          Not a valid case yet: {validation.problems.join('; ')}
        </div>
      )}
      <div className="rc-form">
        <button
          className="btn"
          disabled={!rc}
          onClick={() =>
            rc && downloadText(caseFileName(rc.id), `${JSON.stringify(rc, null, 2)}\n`, 'application/json')
          }
        >
          Download case JSON
        </button>
        <button
          className="btn"
          disabled={!rc}
          onClick={() => rc && downloadText(vitestFileName(rc.id), generateVitestFile(rc), 'text/typescript')}
        >
          Download Vitest file
        </button>
        <span className="muted small">
          {rc
            ? `${caseFileName(rc.id)} + ${vitestFileName(rc.id)}: keep them side by side; ` +
              `run with AGENT_URL or AGENT_CMD set.`
            : ''}
        </span>
        <span className="spacer" />
        <label className="rc-field inline">
          <span className="muted small">Suite</span>
          <input aria-label="Suite" className="rc-narrow" value={suite} onChange={(e) => setSuite(e.target.value)} />
        </label>
        <button className="btn primary" disabled={!rc || save.state === 'saving' || !suite.trim()} onClick={onSave}>
          {save.state === 'saving' ? 'Saving…' : 'Save to suite'}
        </button>
      </div>
      {save.state === 'saved' && (
        <div className="rc-saved" role="status">
          Saved to suite <strong>{save.suite}</strong>:{' '}
          <Link href={`/regression/cases/${encodeURIComponent(save.id)}`}>open case {save.id}</Link>
        </div>
      )}
      {save.state === 'error' && (
        <div className="form-error" role="alert">
          {save.message}
        </div>
      )}
    </section>
  )
}
