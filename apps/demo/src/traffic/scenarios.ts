/**
 * The scenarios the traffic generator mixes, and the tasks each one sends to the planner. What makes
 * each one recognisable in the stored data is in apps/demo/README.md.
 */
import type { TaskMeta, TaskRequest } from '../a2a/messages.js'
import { intBetween, pick, type Rng } from '../lib/rng.js'
import { FOLLOW_UPS, TOPICS } from '../agents/prompts.js'

export const SCENARIOS = ['success', 'tool_error', 'loop', 'cost_spike', 'canary', 'guardrail', 'session'] as const
export type Scenario = (typeof SCENARIOS)[number]

/** Orders outside shard 7 always answer; `ord-7…` sit on the flaky replica (see mcp/tools.ts). */
const healthyOrder = (rng: Rng) => `ord-${intBetween(rng, 1, 6)}${String(intBetween(rng, 0, 999)).padStart(3, '0')}`
const flakyOrder = (rng: Rng) => `ord-7${String(intBetween(rng, 0, 999)).padStart(3, '0')}`

const EXPRESSIONS = ['{total} * 0.15', '{total} * 1.2', '({total} - 20) * 0.9', '{total} / 12']
const LOOP_TASKS = [
  'check the weather in Atlantis',
  'What is the weather in Atlantis?',
  'Please check the weather in Atlantis.',
]

export interface RunPlan {
  scenario: Scenario
  /** One task per turn; sessions have several, sent one after the other. */
  turns: TaskRequest[]
}

/**
 * Builds the tasks of one run. `canary` decides the executor route of every run that reaches the
 * executor (the 20 % split); a plain successful run on the canary is labelled `canary`.
 */
export function planRun(rng: Rng, scenario: Scenario, runId: string, canary: boolean): RunPlan {
  const route: TaskMeta['route'] = canary || scenario === 'canary' ? 'canary' : 'stable'
  const label: Scenario = scenario === 'success' && route === 'canary' ? 'canary' : scenario
  const base = (turn: number, orderId: string, text: string, extra: TaskMeta = {}): TaskRequest => ({
    text: text.replace('{order}', orderId),
    meta: {
      requestId: `${runId}-${turn}`,
      scenario: label,
      route,
      orderId,
      expression: pick(rng, EXPRESSIONS),
      ...extra,
    },
  })
  switch (scenario) {
    case 'loop':
      return { scenario, turns: [{ text: pick(rng, LOOP_TASKS), meta: { requestId: runId, scenario } }] }
    case 'tool_error':
      return { scenario, turns: [base(0, flakyOrder(rng), pick(rng, TOPICS).question)] }
    case 'session': {
      const orderId = healthyOrder(rng)
      const userId = `user-${String(intBetween(rng, 1, 60)).padStart(3, '0')}`
      const sessionId = `sess-${runId}`
      const turns = intBetween(rng, 3, 4)
      const texts = [pick(rng, TOPICS).question, ...FOLLOW_UPS].slice(0, turns)
      return { scenario, turns: texts.map((text, i) => base(i, orderId, text, { sessionId, userId })) }
    }
    default:
      return { scenario: label, turns: [base(0, healthyOrder(rng), pick(rng, TOPICS).question)] }
  }
}
