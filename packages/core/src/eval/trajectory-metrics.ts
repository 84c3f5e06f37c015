/**
 * @module eval/trajectory-metrics
 * The trajectory metrics of ADK / Vertex AI agent evaluation, on the regression case's steps: a
 * run's steps (observeRun) against a reference (a case's expected trajectory or a saved reference
 * trajectory). A step matches a reference step as in the regression matcher (kind, name, agent,
 * arguments per `argsMatch`); optional reference steps may be absent.
 *
 * - exact: the run's steps are the reference's, in order, nothing else (optional ones may be skipped)
 * - in_order: every required reference step occurs, in the reference's order; extras allowed
 * - any_order: every required reference step occurs, in any order; extras allowed
 * - precision: the run's steps that match a reference step / the run's steps
 * - recall: the required reference steps the run matched / the required reference steps
 * - single_tool: the run called the given tool at least once
 * A step is used at most once in a match (eight identical calls against two expected ones match two).
 */
import type { CaseMatch, CaseStep, CaseStepKind } from '@sightline/schema'
import { stepMatches } from '../regression/match.js'

export interface TrajectoryScores {
  exact: number
  inOrder: number
  anyOrder: number
  precision: number
  recall: number
}

export interface TrajectoryScope {
  /** Step kinds that take part (the reference's `match.kinds`). */
  kinds: readonly CaseStepKind[]
  /** Only this agent's steps ('' = the whole run). */
  agent?: string
}

function inScope(steps: readonly CaseStep[], scope: TrajectoryScope, isReference: boolean): CaseStep[] {
  return steps.filter(
    (s) =>
      scope.kinds.includes(s.kind) &&
      (!scope.agent || (isReference ? !s.agent || s.agent === scope.agent : s.agent === scope.agent)),
  )
}

/** Whether `actual` is exactly `reference` with some optional steps left out (DP over both lists). */
function isExact(reference: readonly CaseStep[], actual: readonly CaseStep[]): boolean {
  // reach[j]: the first i reference steps can produce the first j actual steps.
  let reach = new Array<boolean>(actual.length + 1).fill(false)
  reach[0] = true
  for (const step of reference) {
    const next = new Array<boolean>(actual.length + 1).fill(false)
    for (let j = 0; j <= actual.length; j++) {
      if (!reach[j]) continue
      if (step.optional) next[j] = true
      if (j < actual.length && stepMatches(step, actual[j]!)) next[j + 1] = true
    }
    reach = next
  }
  return reach[actual.length] === true
}

/** Required steps as a subsequence of `actual` (greedy earliest match is optimal for this). */
function isInOrder(required: readonly CaseStep[], actual: readonly CaseStep[]): boolean {
  let cursor = 0
  for (const step of required) {
    while (cursor < actual.length && !stepMatches(step, actual[cursor]!)) cursor++
    if (cursor >= actual.length) return false
    cursor++
  }
  return true
}

/** Size of a maximum matching between reference and actual steps (Kuhn's augmenting paths). */
function maxMatching(
  reference: readonly CaseStep[],
  actual: readonly CaseStep[],
): { size: number; matchedReference: boolean[] } {
  const owner = new Array<number>(actual.length).fill(-1)
  const edges = reference.map((r) => actual.map((a, j) => (stepMatches(r, a) ? j : -1)).filter((j) => j >= 0))
  const tryAssign = (i: number, seen: boolean[]): boolean => {
    for (const j of edges[i]!) {
      if (seen[j]) continue
      seen[j] = true
      if (owner[j] === -1 || tryAssign(owner[j]!, seen)) {
        owner[j] = i
        return true
      }
    }
    return false
  }
  // Required steps first, so optional ones never take a step a required one needs.
  const order = reference
    .map((_, i) => i)
    .sort((x, y) => Number(reference[x]!.optional) - Number(reference[y]!.optional))
  let size = 0
  for (const i of order) if (tryAssign(i, new Array<boolean>(actual.length).fill(false))) size++
  const matchedReference = reference.map(() => false)
  for (const i of owner) if (i >= 0) matchedReference[i] = true
  return { size, matchedReference }
}

/**
 * Every metric but single_tool, each 0 or 1 (matches) or a ratio (precision, recall).
 * @example trajectoryScores(rc.expected.trajectory, observeRun(spans).steps, rc.expected.match).precision
 */
export function trajectoryScores(
  reference: readonly CaseStep[],
  actualSteps: readonly CaseStep[],
  scope: TrajectoryScope | CaseMatch,
): TrajectoryScores {
  const s: TrajectoryScope = { kinds: scope.kinds, agent: 'agent' in scope ? scope.agent : undefined }
  const ref = inScope(reference, s, true)
  const act = inScope(actualSteps, s, false)
  const required = ref.filter((r) => !r.optional)
  const matching = maxMatching(ref, act)
  const requiredMatched = ref.filter((r, i) => !r.optional && matching.matchedReference[i]).length
  // A maximum matching of the required steps alone decides any-order (optional ones cannot block it).
  const anyOrder = maxMatching(required, act).size === required.length
  return {
    exact: isExact(ref, act) ? 1 : 0,
    inOrder: isInOrder(required, act) ? 1 : 0,
    anyOrder: anyOrder ? 1 : 0,
    // No steps at all is exactly right only when nothing was expected either.
    precision: act.length === 0 ? (ref.length === 0 ? 1 : 0) : matching.size / act.length,
    recall: required.length === 0 ? 1 : requiredMatched / required.length,
  }
}

/** 1 when the run called `tool` (within the scope's agent, when given), else 0. */
export function singleToolUse(actualSteps: readonly CaseStep[], tool: string, agent = ''): number {
  return actualSteps.some((s) => s.kind === 'tool_call' && s.name === tool && (!agent || s.agent === agent)) ? 1 : 0
}

export type TrajectoryMetricName = 'exact' | 'in_order' | 'any_order' | 'precision' | 'recall'

export function trajectoryMetric(scores: TrajectoryScores, metric: TrajectoryMetricName): number {
  switch (metric) {
    case 'exact':
      return scores.exact
    case 'in_order':
      return scores.inOrder
    case 'any_order':
      return scores.anyOrder
    case 'precision':
      return scores.precision
    case 'recall':
      return scores.recall
  }
}
