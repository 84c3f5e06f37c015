/**
 * The planner agent (`planner-agent`): plans with an LLM, delegates to the researcher and executor
 * over A2A, checks its answer with an output guardrail and escalates to a human when it blocks.
 *
 * Weather questions are answered with a direct tool call. Release 2.3.0 (`buggy`) has the loop bug:
 * when the tool says "not found" it asks again with the same arguments until it hits MAX_STEPS and
 * fails. Release 2.3.1 (`fixed`) stops after two attempts and answers gracefully.
 */
import type { Span } from '@opentelemetry/api'
import { withA2aCall, withAgent, withGuardrail } from '@sightline/sdk'
import type { AgentClient } from '../a2a/call.js'
import type { TaskRequest } from '../a2a/messages.js'
import { sleep } from '../lib/config.js'
import { hashString, type Rng } from '../lib/rng.js'
import type { ToolClient } from '../mcp/client.js'
import { EXPENSIVE_MODEL, type ModelName } from '../model/catalog.js'
import { chat } from '../model/scripted.js'
import { PLANNER_SYSTEM } from './prompts.js'
import type { AgentRuntime } from './runtime.js'

export type PlannerRelease = 'buggy' | 'fixed'
export const PLANNER_VERSIONS: Record<PlannerRelease, string> = { buggy: '2.3.0', fixed: '2.3.1' }

/** The buggy release's only brake on the loop. */
const MAX_STEPS = 8
const FIXED_MAX_ATTEMPTS = 2

const ATTR_DEMO_SCENARIO = 'demo.scenario'

export interface PlannerDeps {
  runtime: AgentRuntime
  release: PlannerRelease
  tools: ToolClient
  researcher: AgentClient
  executor: AgentClient
  /** Receives `route: 'canary'` traffic when set (EXECUTOR_CANARY_URL). */
  canaryExecutor?: AgentClient
}

const WEATHER_QUESTION = /weather in ([A-Za-z][A-Za-z ]*?)[?.!]?$/i

class GuardrailBlocked extends Error {
  override name = 'GuardrailBlocked'
}

/** Scenario label for the root span; external callers (no metadata) get one from the text. */
function scenarioOf(request: TaskRequest): string {
  if (request.meta.scenario) return request.meta.scenario
  return WEATHER_QUESTION.test(request.text) ? 'weather' : 'external'
}

export function plan(deps: PlannerDeps, request: TaskRequest, rootSpan: Span): Promise<string> {
  rootSpan.setAttribute(ATTR_DEMO_SCENARIO, scenarioOf(request))
  return withAgent(
    'planner',
    async () => {
      const city = WEATHER_QUESTION.exec(request.text)?.[1]
      return city ? weatherAnswer(deps, request, city) : delegate(deps, request)
    },
    { sessionId: request.meta.sessionId, userId: request.meta.userId, description: 'Plans and delegates' },
  )
}

async function weatherAnswer(deps: PlannerDeps, request: TaskRequest, city: string): Promise<string> {
  const rng = deps.runtime.rng(request, 'planner')
  const { timeScale } = deps.runtime.config
  const limit = deps.release === 'buggy' ? MAX_STEPS : FIXED_MAX_ATTEMPTS
  for (let step = 1; step <= limit; step++) {
    await chat({
      model: 'gpt-4o-mini',
      system: PLANNER_SYSTEM,
      user: step === 1 ? request.text : `${request.text}\nPrevious tool result: not found. Try again.`,
      completion: `weather({"city": "${city}"})`,
      finishReason: 'tool_calls',
      rng,
      timeScale,
    })
    const result = await deps.tools.call('weather', { city })
    if (!result.isError && !result.text.includes('not found')) {
      return chat({
        model: 'gpt-4o-mini',
        system: PLANNER_SYSTEM,
        user: `${request.text}\nTool: ${result.text}`,
        completion: `Current weather in ${city}: ${result.text}`,
        rng,
        timeScale,
      })
    }
  }
  if (deps.release === 'buggy') throw new Error(`planner exceeded max steps (${MAX_STEPS}) without an answer`)
  return chat({
    model: 'gpt-4o-mini',
    system: PLANNER_SYSTEM,
    user: `${request.text}\nThe weather tool returned "not found" ${FIXED_MAX_ATTEMPTS} times.`,
    completion:
      `I couldn't find weather data for "${city}": the weather service doesn't know this place. ` +
      `If you meant a real city nearby, tell me which one and I'll check it.`,
    rng,
    timeScale,
  })
}

function plannerModel(request: TaskRequest): { model: ModelName; promptBloat: number } {
  // The cost spike: a config push routed planning to the expensive model and pasted the whole
  // policy handbook into every prompt.
  return request.meta.scenario === 'cost_spike'
    ? { model: EXPENSIVE_MODEL, promptBloat: 12 }
    : { model: 'gpt-4o', promptBloat: 1 }
}

async function delegate(deps: PlannerDeps, request: TaskRequest): Promise<string> {
  const rng = deps.runtime.rng(request, 'planner')
  const { timeScale } = deps.runtime.config
  const { model, promptBloat } = plannerModel(request)
  await chat({
    model,
    system: PLANNER_SYSTEM,
    user: request.text,
    completion:
      'Plan: 1) researcher: gather policy and context; 2) executor: look the order up and compute the amount; 3) ' +
      'answer.',
    finishReason: 'tool_calls',
    promptBloat,
    rng,
    timeScale,
  })
  const findings = await deps.researcher.send({ text: request.text, meta: request.meta })
  const executor = request.meta.route === 'canary' && deps.canaryExecutor ? deps.canaryExecutor : deps.executor
  const result = await executor.send({ text: request.text, meta: request.meta })
  const draft = await chat({
    model,
    system: PLANNER_SYSTEM,
    user: `Request: ${request.text}\nResearch: ${findings}\nExecution: ${result}`,
    completion: `${result} ${findings.split('. ')[0] ?? ''}.`,
    promptBloat,
    rng,
    timeScale,
  })
  try {
    await withGuardrail('output-policy', () => checkOutput(draft))
    return draft
  } catch (err) {
    if (!(err instanceof GuardrailBlocked)) throw err
    return escalate(deps, request, rng, err.message)
  }
}

const EMAIL = /[\w.+-]+@[\w-]+\.[\w.]+/
const CARD = /card ending \d{4}/i

function checkOutput(draft: string): void {
  if (EMAIL.test(draft) || CARD.test(draft)) {
    throw new GuardrailBlocked('answer blocked by output-policy: contains customer contact or payment data')
  }
}

/** Hands the conversation to the human support queue (a hand-off span to `human-escalation`). */
async function escalate(deps: PlannerDeps, request: TaskRequest, rng: Rng, reason: string): Promise<string> {
  const ticket = `ESC-${(hashString(request.meta.requestId ?? request.text) % 90000) + 10000}`
  await withA2aCall({ targetAgent: 'human-escalation', method: 'SendMessage', taskId: ticket }, async (call) => {
    call.span.setAttribute('escalation.reason', reason)
    // Enqueueing the ticket in the support desk.
    await sleep(120 + rng() * 80, deps.runtime.config.timeScale)
  })
  return (
    `I can't share that answer automatically, so I've passed your request to a human colleague ` +
    `(ticket ${ticket}). They'll reply shortly.`
  )
}
