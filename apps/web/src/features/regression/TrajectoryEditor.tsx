/**
 * Observed (left, read-only, each step marked as claimed by the expected list or as an extra) against
 * expected (right, editable: delete, reorder by drag or ↑/↓, optional, argument matching with ignored
 * JSON Pointers) and the three match settings.
 */
import { CaseStepKindSchema, type CaseStep } from '@sightline/schema'
import { useState, type Dispatch } from 'react'
import { describeArgs, observedStatus, parseIgnorePaths, type Draft, type DraftAction } from './case-draft'

const KIND_BADGE = {
  llm_call: ['LLM', 'b-llm'],
  tool_call: ['TOOL', 'b-tool'],
  agent_delegation: ['A2A', 'b-a2a'],
} as const

function StepLabel({ step }: { step: CaseStep }) {
  const [label, cls] = KIND_BADGE[step.kind]
  const args = describeArgs(step.args)
  return (
    <span className="rc-step-label">
      <span className={`badge ${cls}`}>{label}</span>
      {step.protocol === 'mcp' && <span className="badge b-mcp">MCP</span>}
      <strong className="mono">{step.name}</strong>
      {step.isError && <span className="badge b-error">ERR</span>}
      {step.agent && <span className="muted small">· {step.agent}</span>}
      {args && (
        <code className="rc-args" title={args}>
          {args.length > 80 ? `${args.slice(0, 79)}…` : args}
        </code>
      )}
    </span>
  )
}

export function TrajectoryEditor({ draft, dispatch }: { draft: Draft; dispatch: Dispatch<DraftAction> }) {
  const status = observedStatus(draft)
  const { match } = draft.expected
  const [dragFrom, setDragFrom] = useState<number | null>(null)
  const observed = draft.observed.trajectory
  const steps = draft.expected.trajectory
  return (
    <section className="rc-card" aria-label="Trajectory">
      <div className="rc-card-head">
        <h3>Trajectory</h3>
        <span className="muted small">
          Observed in the incident against what the agent should do. Only{' '}
          {match.kinds.map((k) => k.replace('_', ' ')).join(' and ')} steps take part.
        </span>
      </div>
      <div className="rc-match" role="group" aria-label="Match settings">
        <label>
          Order{' '}
          <select
            aria-label="Order"
            value={match.order}
            onChange={(e) => dispatch({ type: 'setMatch', patch: { order: e.target.value as 'strict' | 'any' } })}
          >
            <option value="strict">strict (in this order)</option>
            <option value="any">any order</option>
          </select>
        </label>
        <label>
          Extra steps{' '}
          <select
            aria-label="Extra steps"
            value={match.extras}
            onChange={(e) => dispatch({ type: 'setMatch', patch: { extras: e.target.value as 'allow' | 'forbid' } })}
          >
            <option value="allow">allow</option>
            <option value="forbid">forbid</option>
          </select>
        </label>
        <label>
          Missing steps{' '}
          <select
            aria-label="Missing steps"
            value={match.missing}
            onChange={(e) => dispatch({ type: 'setMatch', patch: { missing: e.target.value as 'allow' | 'forbid' } })}
          >
            <option value="forbid">forbid</option>
            <option value="allow">allow</option>
          </select>
        </label>
        <span className="rc-kinds">
          {CaseStepKindSchema.options.map((kind) => (
            <label key={kind} className="rc-check">
              <input
                type="checkbox"
                checked={match.kinds.includes(kind)}
                onChange={(e) =>
                  dispatch({
                    type: 'setMatch',
                    patch: { kinds: e.target.checked ? [...match.kinds, kind] : match.kinds.filter((k) => k !== kind) },
                  })
                }
              />
              {kind.replace('_', ' ')}
            </label>
          ))}
        </span>
      </div>
      <div className="rc-columns">
        <div className="rc-col" aria-label="Observed trajectory">
          <div className="rc-col-head">
            <strong>Observed</strong>{' '}
            <span className="muted small">
              {observed.length} steps · {draft.observed.outcome.status}
            </span>
          </div>
          {observed.length === 0 && (
            <div className="muted small rc-empty">The trace has no LLM calls, tool calls or delegations.</div>
          )}
          <ol className="rc-steps">
            {observed.map((s, i) => (
              <li key={i} className={`rc-step obs ${status[i] ?? 'skipped'}`} data-status={status[i] ?? 'skipped'}>
                <span className="rc-num">{i + 1}</span>
                <StepLabel step={s} />
                <span className="spacer" />
                {status[i] === 'matched' && (
                  <span className="rc-mark ok" title="claimed by an expected step">
                    ✓
                  </span>
                )}
                {status[i] === 'extra' && (
                  <span
                    className={`rc-mark ${match.extras === 'forbid' ? 'err' : 'muted'}`}
                    title={
                      match.extras === 'forbid' ? 'extra step: fails the trajectory assertion' : 'extra step (allowed)'
                    }
                  >
                    extra
                  </span>
                )}
                {s.kind !== 'llm_call' && (
                  <button
                    className="btn ghost small"
                    title="Add to expected"
                    aria-label={`Add observed step ${i + 1} to expected`}
                    onClick={() => dispatch({ type: 'addStep', step: s })}
                  >
                    + expected
                  </button>
                )}
              </li>
            ))}
          </ol>
        </div>
        <div className="rc-col" aria-label="Expected trajectory">
          <div className="rc-col-head">
            <strong>Expected</strong> <span className="muted small">{steps.length} steps · drag or ↑/↓ to reorder</span>
          </div>
          {steps.length === 0 && (
            <div className="muted small rc-empty">
              No expected steps: add some from the observed side, or rely on the other assertions.
            </div>
          )}
          <ol className="rc-steps">
            {steps.map((s, i) => (
              <li
                key={`${i}-${s.kind}-${s.name}`}
                className={`rc-step exp${dragFrom === i ? ' dragging' : ''}`}
                draggable
                onDragStart={(e) => {
                  setDragFrom(i)
                  e.dataTransfer.effectAllowed = 'move'
                }}
                onDragOver={(e) => e.preventDefault()}
                onDrop={(e) => {
                  e.preventDefault()
                  if (dragFrom !== null) dispatch({ type: 'moveStep', from: dragFrom, to: i })
                  setDragFrom(null)
                }}
                onDragEnd={() => setDragFrom(null)}
                aria-label={`Expected step ${i + 1}`}
              >
                <div className="rc-step-row">
                  <span className="rc-grip" aria-hidden>
                    ⋮⋮
                  </span>
                  <span className="rc-num">{i + 1}</span>
                  <StepLabel step={s} />
                  <span className="spacer" />
                  <button
                    className="btn ghost small"
                    aria-label={`Move step ${i + 1} up`}
                    disabled={i === 0}
                    onClick={() => dispatch({ type: 'moveStep', from: i, to: i - 1 })}
                  >
                    ↑
                  </button>
                  <button
                    className="btn ghost small"
                    aria-label={`Move step ${i + 1} down`}
                    disabled={i === steps.length - 1}
                    onClick={() => dispatch({ type: 'moveStep', from: i, to: i + 1 })}
                  >
                    ↓
                  </button>
                  <button
                    className="btn ghost small"
                    aria-label={`Delete step ${i + 1}`}
                    onClick={() => dispatch({ type: 'deleteStep', index: i })}
                  >
                    ✕
                  </button>
                </div>
                <StepSettings step={s} index={i} dispatch={dispatch} />
              </li>
            ))}
          </ol>
        </div>
      </div>
    </section>
  )
}

function StepSettings({ step, index, dispatch }: { step: CaseStep; index: number; dispatch: Dispatch<DraftAction> }) {
  const [pathsText, setPathsText] = useState(step.ignorePaths.join(', '))
  const [pathsError, setPathsError] = useState('')
  const commitPaths = (text: string) => {
    setPathsText(text)
    try {
      dispatch({ type: 'updateStep', index, patch: { ignorePaths: parseIgnorePaths(text) } })
      setPathsError('')
    } catch (err) {
      setPathsError((err as Error).message)
    }
  }
  return (
    <div className="rc-step-settings">
      <label className="rc-check">
        <input
          type="checkbox"
          aria-label={`Step ${index + 1} optional`}
          checked={step.optional}
          onChange={(e) => dispatch({ type: 'updateStep', index, patch: { optional: e.target.checked } })}
        />{' '}
        optional
      </label>
      {step.args !== undefined && (
        <>
          <label>
            args{' '}
            <select
              aria-label={`Step ${index + 1} argument matching`}
              value={step.argsMatch}
              onChange={(e) =>
                dispatch({ type: 'updateStep', index, patch: { argsMatch: e.target.value as CaseStep['argsMatch'] } })
              }
            >
              <option value="subset">subset (expected fields present)</option>
              <option value="exact">exact</option>
              <option value="ignore">ignore</option>
            </select>
          </label>
          {step.argsMatch !== 'ignore' && (
            <label>
              ignore paths{' '}
              <input
                aria-label={`Step ${index + 1} ignored paths`}
                className="mono"
                placeholder="/request_id, /ts"
                value={pathsText}
                onChange={(e) => commitPaths(e.target.value)}
              />
            </label>
          )}
          {pathsError && <span className="form-error small">{pathsError}</span>}
        </>
      )}
    </div>
  )
}
