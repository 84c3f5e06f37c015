/** What every agent handler needs: config, a per-task RNG and the tool client. */
import type { DemoConfig } from '../lib/config.js'
import { rngFor, type Rng } from '../lib/rng.js'
import type { TaskRequest } from '../a2a/messages.js'

export interface AgentRuntime {
  config: DemoConfig
  /** Same task, same draws, in every process that works on it. */
  rng(request: TaskRequest, purpose: string): Rng
}

export function createRuntime(config: DemoConfig): AgentRuntime {
  return {
    config,
    rng: (request, purpose) => rngFor(config.seed, request.meta.requestId ?? request.text, purpose),
  }
}
