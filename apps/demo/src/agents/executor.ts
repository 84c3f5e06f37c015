/**
 * The executor agent (`executor-agent`): looks the order up (retrying the flaky replica), computes
 * with the calculator, and writes the result. Release 1.5.0-canary carries a latency regression: it
 * lost the prompt-cache prefix and answers ~2.5× slower.
 */
import { withAgent } from '@sightline/sdk'
import type { TaskRequest } from '../a2a/messages.js'
import { sleep } from '../lib/config.js'
import type { ToolClient, ToolOutcome } from '../mcp/client.js'
import { chat } from '../model/scripted.js'
import { EXECUTOR_SYSTEM } from './prompts.js'
import type { AgentRuntime } from './runtime.js'

export type ExecutorRelease = 'stable' | 'canary'
export const EXECUTOR_VERSIONS: Record<ExecutorRelease, string> = { stable: '1.4.0', canary: '1.5.0-canary' }

const MAX_ATTEMPTS = 3

async function lookupWithRetry(runtime: AgentRuntime, tools: ToolClient, orderId: string): Promise<ToolOutcome> {
  let outcome: ToolOutcome | undefined
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    outcome = await tools.call('db_lookup', { table: 'orders', id: orderId })
    if (!outcome.isError) return outcome
    // Exponential backoff: 200 ms, 400 ms of demo time.
    if (attempt < MAX_ATTEMPTS) await sleep(200 * 2 ** (attempt - 1), runtime.config.timeScale)
  }
  throw new Error(`db_lookup failed ${MAX_ATTEMPTS} times for ${orderId}: ${outcome?.text ?? ''}`)
}

export async function execute(
  runtime: AgentRuntime,
  tools: ToolClient,
  release: ExecutorRelease,
  request: TaskRequest,
): Promise<string> {
  return withAgent('executor', async () => {
    const rng = runtime.rng(request, 'executor')
    const { timeScale } = runtime.config
    const regression = release === 'canary' ? { slowdown: 2.5, noCache: true } : {}
    const orderId = request.meta.orderId ?? 'ord-1000'
    await chat({
      model: 'o3',
      system: EXECUTOR_SYSTEM,
      user: request.text,
      completion: `db_lookup({"table": "orders", "id": "${orderId}"})`,
      finishReason: 'tool_calls',
      rng,
      timeScale,
      ...regression,
    })
    const order = JSON.parse((await lookupWithRetry(runtime, tools, orderId)).text) as {
      totalEur: number
      status: string
    }
    const expression = (request.meta.expression ?? '{total} * 0.15').replace('{total}', String(order.totalEur))
    const computed = await tools.call('calculator', { expression })
    const value = computed.isError ? 'n/a' : (JSON.parse(computed.text) as { value: number }).value
    // The guardrail scenario: the draft leaks contact and card data that the planner must not send.
    const leak =
      request.meta.scenario === 'guardrail'
        ? ' Customer contact: jane.doe@example.com, refund to the card ending 4242 on file.'
        : ''
    return chat({
      model: 'claude-sonnet-4-20250514',
      system: EXECUTOR_SYSTEM,
      user: `Order: ${JSON.stringify(order)}\nComputation: ${computed.text}\nTask: ${request.text}`,
      completion:
        `Order ${orderId} is ${order.status}; total ${order.totalEur.toFixed(2)} EUR. ` +
        `Result of ${expression}: ${value} EUR.${leak}`,
      rng,
      timeScale,
      ...regression,
    })
  })
}
