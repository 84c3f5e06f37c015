/**
 * The regression-case editor's state: a draft `RegressionCase` and the pure, named transforms the
 * editor applies to it (a `useReducer` reducer; no server data here). Re-checking the assertions
 * against the source trace uses the schema package's own evaluator, the code the server's proposal
 * and the CLI runner use, so "could never fail" means the same thing in all three places.
 *
 * Invariants: assertion ids stay unique; the expected trajectory only holds expected-step fields
 * (no `isError`/`spanId` from the observed side).
 */
import {
  RegressionCaseSchema,
  type CaseAssertion,
  type CaseAssertionType,
  type CaseMatch,
  type CaseStep,
  type RegressionCase,
} from '@sightline/schema'
import { evaluateAssertion, matchTrajectory, parsePointer, type ObservedRun } from '@sightline/core'

export type Draft = RegressionCase

export type DraftAction =
  | { type: 'reset'; draft: Draft }
  | { type: 'setMeta'; patch: Partial<Pick<Draft, 'id' | 'title' | 'severity'>> }
  | { type: 'setFailure'; patch: Partial<Draft['failure']> }
  | { type: 'moveStep'; from: number; to: number }
  | { type: 'deleteStep'; index: number }
  | { type: 'addStep'; step: CaseStep }
  | { type: 'updateStep'; index: number; patch: Partial<CaseStep> }
  | { type: 'setMatch'; patch: Partial<CaseMatch> }
  | { type: 'updateAssertion'; index: number; assertion: CaseAssertion }
  | { type: 'addAssertion'; assertionType: CaseAssertionType }
  | { type: 'removeAssertion'; index: number }
  | { type: 'setPolicy'; patch: Partial<Draft['policy']> }

/** Moves one item; `to` is clamped to the list. */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const out = [...items]
  if (from < 0 || from >= out.length) return out
  const [item] = out.splice(from, 1)
  out.splice(Math.max(0, Math.min(to, out.length)), 0, item!)
  return out
}

/** An observed step as an expected one: same call, subset argument matching, required. */
function expectedStepFrom(step: CaseStep): CaseStep {
  const { isError: _isError, spanId: _spanId, ...rest } = step
  return { ...rest, argsMatch: 'subset', ignorePaths: [], optional: false }
}

/** `id`, `id-2`, `id-3`…: the first one not taken. */
export function uniqueId(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base
  for (let n = 2; ; n++) if (!taken.includes(`${base}-${n}`)) return `${base}-${n}`
}

/** A new assertion of a type with editable defaults; blocking, like the proposal's. */
function newAssertion(type: CaseAssertionType, taken: readonly string[]): CaseAssertion {
  const base = { description: '', blocking: true, scope: '' }
  switch (type) {
    case 'trajectory':
      return { ...base, id: uniqueId('trajectory', taken), type }
    case 'status':
      return { ...base, id: uniqueId('status-ok', taken), type, equals: 'ok' }
    case 'output':
      return { ...base, id: uniqueId('output', taken), type, op: 'contains', value: '', caseSensitive: false }
    case 'max_repeated_calls':
      return { ...base, id: uniqueId('max-repeated-calls', taken), type, max: 2, ignorePaths: [] }
    case 'step_count':
      return { ...base, id: uniqueId('step-count', taken), type, kind: 'tool_call', max: 10 }
    case 'budget':
      return { ...base, id: uniqueId('budget', taken), type, metric: 'tokens', max: 100_000 }
    case 'no_errors':
      return { ...base, id: uniqueId('no-errors', taken), type, includeToolErrors: false }
  }
}

export function draftReducer(draft: Draft, action: DraftAction): Draft {
  const steps = draft.expected.trajectory
  const withSteps = (trajectory: CaseStep[]): Draft => ({ ...draft, expected: { ...draft.expected, trajectory } })
  switch (action.type) {
    case 'reset':
      return action.draft
    case 'setMeta':
      return { ...draft, ...action.patch }
    case 'setFailure':
      return { ...draft, failure: { ...draft.failure, ...action.patch } }
    case 'moveStep':
      return withSteps(moveItem(steps, action.from, action.to))
    case 'deleteStep':
      return withSteps(steps.filter((_, i) => i !== action.index))
    case 'addStep':
      return withSteps([...steps, expectedStepFrom(action.step)])
    case 'updateStep':
      return withSteps(steps.map((s, i) => (i === action.index ? { ...s, ...action.patch } : s)))
    case 'setMatch':
      return { ...draft, expected: { ...draft.expected, match: { ...draft.expected.match, ...action.patch } } }
    case 'updateAssertion':
      return { ...draft, assertions: draft.assertions.map((a, i) => (i === action.index ? action.assertion : a)) }
    case 'addAssertion':
      return {
        ...draft,
        assertions: [
          ...draft.assertions,
          newAssertion(
            action.assertionType,
            draft.assertions.map((a) => a.id),
          ),
        ],
      }
    case 'removeAssertion':
      return { ...draft, assertions: draft.assertions.filter((_, i) => i !== action.index) }
    case 'setPolicy':
      return { ...draft, policy: { ...draft.policy, ...action.patch } }
  }
}

export interface SourceCheck {
  id: string
  blocking: boolean
  /** The assertion fails on the incident's own trace: it catches the failure. */
  wouldFail: boolean
  detail: string
  /** A blocking assertion that passes on the incident could never have caught it. */
  isUseless: boolean
}

/** Every assertion of the draft evaluated against the source trace's observed run. */
export function checkAgainstSource(draft: Draft, run: ObservedRun): SourceCheck[] {
  return draft.assertions.map((a) => {
    try {
      const r = evaluateAssertion(a, run, draft)
      return {
        id: a.id,
        blocking: a.blocking,
        wouldFail: !r.passed,
        detail: r.detail,
        isUseless: a.blocking && r.passed,
      }
    } catch (err) {
      // e.g. an invalid regex or JSON Pointer typed halfway: say so instead of breaking the editor.
      return {
        id: a.id,
        blocking: a.blocking,
        wouldFail: false,
        detail: `cannot evaluate: ${(err as Error).message}`,
        isUseless: false,
      }
    }
  })
}

/**
 * Which observed steps the expected trajectory claims (index into `observed`), and which are
 * extras, under the draft's match settings. Steps of kinds that do not take part are `null`.
 */
export function observedStatus(draft: Draft): ('matched' | 'extra' | null)[] {
  const { match } = draft.expected
  const observed = draft.observed.trajectory
  let result
  try {
    result = matchTrajectory(draft.expected.trajectory, observed, match)
  } catch {
    return observed.map(() => null)
  }
  const taking = observed.map((s, i) => (match.kinds.includes(s.kind) ? i : -1)).filter((i) => i >= 0)
  const claimed = new Set(result.assignment.filter((i): i is number => i !== null).map((i) => taking[i]!))
  return observed.map((s, i) => (!match.kinds.includes(s.kind) ? null : claimed.has(i) ? 'matched' : 'extra'))
}

/** "/a, /b/c" → ['/a', '/b/c']; throws on anything that is not a JSON Pointer. */
export function parseIgnorePaths(text: string): string[] {
  const paths = text
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter(Boolean)
  for (const p of paths) parsePointer(p)
  return paths
}

function valueAt(root: unknown, pointer: string): unknown {
  let node: unknown = root
  for (const segment of parsePointer(pointer)) {
    if (!node || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[segment]
  }
  return node
}

export interface RedactionRow {
  pointer: string
  before: unknown
  after: unknown
}

/** The fields the proposal masked, with the stored value next to the masked one. */
export function redactionRows(
  fields: readonly string[],
  redacted: unknown,
  original: unknown | undefined,
): RedactionRow[] {
  return fields.map((pointer) => ({
    pointer,
    before: original === undefined ? undefined : valueAt(original, pointer),
    after: valueAt(redacted, pointer),
  }))
}

/** Pointers of string values already masked before they reached Sightline (`[REDACTED:…]` from the SDK). */
export function maskedAtCapture(root: unknown, base = ''): string[] {
  if (typeof root === 'string') return root.includes('[REDACTED') ? [base] : []
  if (!root || typeof root !== 'object') return []
  return Object.entries(root).flatMap(([k, v]) =>
    maskedAtCapture(v, `${base}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`),
  )
}

/** The draft as a valid case, or the first problems (shown next to Download / Save). */
export function validateDraft(draft: Draft): { ok: true; rc: RegressionCase } | { ok: false; problems: string[] } {
  const parsed = RegressionCaseSchema.safeParse(draft)
  if (parsed.success) return { ok: true, rc: parsed.data }
  return {
    ok: false,
    problems: parsed.error.issues.slice(0, 4).map((i) => `${i.path.join('.') || '(case)'}: ${i.message}`),
  }
}

export const describeArgs = (args: Record<string, unknown> | undefined) =>
  args && Object.keys(args).length ? JSON.stringify(args) : ''
