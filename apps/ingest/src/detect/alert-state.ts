/**
 * The alert state machine, one entry per series key. Pure and in memory: the detector feeds it one
 * verdict per key per evaluation and persists the transitions it returns.
 *
 *   idle ──breach──▶ pending(n) ──n = confirmations──▶ open ──clear × recoveryEvaluations──▶ idle
 *                       │ no breach: back to idle            │ not clear: recovery count resets
 *
 * - Confirmation: `confirmations` consecutive breaching evaluations before an episode opens, so a
 *   single noisy window never pages anyone.
 * - Hysteresis: an open episode resolves only after `recoveryEvaluations` consecutive evaluations
 *   below the *lower* threshold (`clear`), not merely below the opening one; values in between
 *   keep it open.
 * - De-duplication: at most one open episode per key; `opened` and `resolved` are each returned
 *   exactly once per episode, and only they produce notifications.
 */
export interface Verdict<P> {
  /** Above the opening threshold. */
  breach: boolean
  /** Below the lower (recovery) threshold. */
  clear: boolean
  payload: P
}

export interface StateMachineOptions {
  confirmations: number
  recoveryEvaluations: number
}

export type Transition<P> =
  | { type: 'opened'; key: string; episodeId: string; startedAtMs: number; payload: P }
  | { type: 'updated'; key: string; episodeId: string; payload: P }
  | { type: 'resolved'; key: string; episodeId: string; endedAtMs: number; payload: P }

interface Entry {
  pending: number
  firstBreachMs: number
  open?: { episodeId: string; clearCount: number }
}

export class AlertStateMachine<P> {
  private readonly entries = new Map<string, Entry>()

  constructor(
    private readonly options: StateMachineOptions,
    private readonly newEpisodeId: (key: string, startedAtMs: number) => string,
  ) {}

  /** Resumes an episode persisted by an earlier process, so a restart does not page twice. */
  restoreOpen(key: string, episodeId: string): void {
    this.entries.set(key, { pending: 0, firstBreachMs: 0, open: { episodeId, clearCount: 0 } })
  }

  isOpen(key: string): boolean {
    return this.entries.get(key)?.open !== undefined
  }

  openKeys(): string[] {
    return [...this.entries].filter(([, e]) => e.open).map(([k]) => k)
  }

  feed(key: string, nowMs: number, verdict: Verdict<P>): Transition<P> | undefined {
    const entry = this.entries.get(key) ?? { pending: 0, firstBreachMs: 0 }
    this.entries.set(key, entry)
    if (entry.open) return this.feedOpen(key, entry, entry.open, nowMs, verdict)
    if (!verdict.breach) {
      this.entries.delete(key)
      return undefined
    }
    if (entry.pending === 0) entry.firstBreachMs = nowMs
    entry.pending += 1
    if (entry.pending < this.options.confirmations) return undefined
    const episodeId = this.newEpisodeId(key, entry.firstBreachMs)
    entry.open = { episodeId, clearCount: 0 }
    entry.pending = 0
    return { type: 'opened', key, episodeId, startedAtMs: entry.firstBreachMs, payload: verdict.payload }
  }

  private feedOpen(
    key: string,
    entry: Entry,
    open: NonNullable<Entry['open']>,
    nowMs: number,
    verdict: Verdict<P>,
  ): Transition<P> {
    open.clearCount = verdict.clear ? open.clearCount + 1 : 0
    if (open.clearCount >= this.options.recoveryEvaluations) {
      entry.open = undefined
      this.entries.delete(key)
      return { type: 'resolved', key, episodeId: open.episodeId, endedAtMs: nowMs, payload: verdict.payload }
    }
    return { type: 'updated', key, episodeId: open.episodeId, payload: verdict.payload }
  }
}
