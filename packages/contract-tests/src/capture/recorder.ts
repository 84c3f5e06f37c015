import type { ToolCall } from '../ground-truth.js'

/**
 * The app's own account of its tool calls, taken where the tool runs (never from spans): each
 * scenario wraps its tool bodies in `call`, which records arguments, result or error and rethrows.
 */
export class ToolRecorder {
  readonly calls: ToolCall[] = []

  async call<T>(name: string, agent: string, args: Record<string, unknown>, body: () => Promise<T> | T): Promise<T> {
    try {
      const result = await body()
      this.calls.push({ name, agent, arguments: args, result, failed: false })
      return result
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      this.calls.push({ name, agent, arguments: args, failed: true, error: message })
      throw error
    }
  }

  /** A call the framework ran itself (an agent used as a tool), recorded from what it returned. */
  add(call: ToolCall): void {
    this.calls.push(call)
  }
}

/** Throws `message` the first time it is called with `key`, then lets calls through. */
export function failOnce(): (key: string, message: string) => void {
  const failed = new Set<string>()
  return (key, message) => {
    if (failed.has(key)) return
    failed.add(key)
    throw new Error(message)
  }
}
