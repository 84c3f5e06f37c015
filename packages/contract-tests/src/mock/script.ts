/**
 * What a mock model server says, in order, and what it was asked. Frameworks here call their
 * models one at a time, so one ordered script per run is deterministic; a request for another
 * model than the next reply expects, or one past the end, fails the capture loudly instead of
 * recording a run nobody planned.
 */
import type { LlmCall, TokenUsage } from '../ground-truth.js'

interface ScriptedToolCall {
  /** Provider-side call id; Gemini's API sends none (frameworks invent their own), OpenAI's does. */
  id: string
  name: string
  args: Record<string, unknown>
}

export interface ScriptedReply {
  /** The model the framework must ask for. */
  model: string
  /** The agent that makes this call; goes into the ground truth. */
  agent: string
  text?: string
  toolCalls?: ScriptedToolCall[]
  usage: TokenUsage
}

export class ModelScript {
  private position = 0
  readonly calls: LlmCall[] = []
  /** Request bodies as received, for debugging a capture that went off script. */
  readonly requests: unknown[] = []

  constructor(private readonly replies: readonly ScriptedReply[]) {}

  /** The next reply for a request for `model`; throws when the framework went off script. */
  next(model: string, request: unknown): ScriptedReply {
    this.requests.push(request)
    const reply = this.replies[this.position]
    if (reply === undefined)
      throw new Error(
        `mock model: unexpected call ${this.position + 1} for ${model}; the script has ${this.replies.length}`,
      )
    if (reply.model !== model)
      throw new Error(`mock model: call ${this.position + 1} asked for ${model}, the script expects ${reply.model}`)
    this.position += 1
    return reply
  }

  record(reply: ScriptedReply, call: Omit<LlmCall, keyof TokenUsage | 'agent' | 'model'>, usage: TokenUsage): void {
    this.calls.push({ ...call, model: reply.model, agent: reply.agent, ...usage })
  }

  /** Throws unless every scripted reply was served. */
  assertDone(): void {
    if (this.position !== this.replies.length) {
      throw new Error(`mock model: ${this.position} of ${this.replies.length} scripted replies were served`)
    }
  }
}

/** Token counters in the ground truth's sense: input includes cached, output includes reasoning. */
export const usage = (
  inputTokens: number,
  outputTokens: number,
  cachedInputTokens = 0,
  reasoningTokens = 0,
): TokenUsage => ({
  inputTokens,
  outputTokens,
  cachedInputTokens,
  reasoningTokens,
})
