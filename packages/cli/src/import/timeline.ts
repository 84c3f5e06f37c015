/**
 * Synthetic clock for run logs without timestamps. Everything is laid out back to back from a base
 * time, so the same file always produces the same times (and the same dedup keys on the server).
 * The durations are rough shapes for the timeline view, not measurements; the README lists them.
 */

/** Default base for synthesised times: 2024-01-01T00:00:00Z. */
export const DEFAULT_BASE_MS = Date.UTC(2024, 0, 1)

/** A model turn: fixed latency plus a per-output-token decode time. */
const LLM_BASE_MS = 500
const LLM_MS_PER_OUTPUT_TOKEN = 20
/** A tool call when the file records no duration. */
export const TOOL_DEFAULT_MS = 200
/** Time a (simulated) user takes to answer. */
export const USER_TURN_MS = 2_000
/** Gap between consecutive runs of one file. */
export const RUN_GAP_MS = 1_000

const msToNs = (ms: number): bigint => BigInt(Math.round(ms * 1000)) * 1000n

/** Rough output-token estimate (4 characters per token) for files that do not count tokens. */
export const estimateTokens = (text: string): number => Math.ceil(text.length / 4)

export class Timeline {
  constructor(private cursorMs: number) {}

  get nowMs(): number {
    return this.cursorMs
  }

  /** Reserves `durationMs` from the cursor and returns [start, end] in nanoseconds. */
  take(durationMs: number): [bigint, bigint] {
    const start = this.cursorMs
    this.cursorMs += Math.max(0, durationMs)
    return [msToNs(start), msToNs(this.cursorMs)]
  }

  llmTurn(outputTokens: number): [bigint, bigint] {
    return this.take(LLM_BASE_MS + LLM_MS_PER_OUTPUT_TOKEN * outputTokens)
  }

  wait(ms: number): void {
    this.cursorMs += ms
  }
}
