/**
 * Settles the target of scores written before their trace's root span was stored. A user's thumbs
 * often comes within a second of the answer, while the exporter still holds the root span (it ends
 * last and is sent with the next batch): the score then took its release, agent and models from the
 * spans stored so far, often a sub-agent's (score-writer.ts marks it `target_settled = 0` and queues
 * the trace for resolution). Once the resolver has judged the trace — its root stored, or settled
 * without one — the score is written again with the trace's final target, so per-release feedback
 * counts each score under the release that served the answer. The work runs beside the resolver.
 */
import { createHash } from 'node:crypto'
import type { ScoreRepository, ScoreRow } from '../db/repositories/scores.js'
import type { Logger } from '../logger.js'

export class ScoreTargets {
  private chain: Promise<void> = Promise.resolve()

  constructor(
    private readonly scores: ScoreRepository,
    private readonly logger: Logger,
  ) {}

  /** Traces the resolver just judged; returns at once, one settling at a time. */
  notify(projectId: string, traceIds: readonly string[]): void {
    this.chain = this.chain
      .then(() => this.settle(projectId, traceIds))
      .catch((err: unknown) =>
        this.logger.warn('score targets not settled; the next resolution of their traces retries', {
          projectId,
          traces: traceIds.length,
          err,
        }),
      )
  }

  /** Resolves when every notified settling is done (tests, shutdown). */
  drain(): Promise<void> {
    return this.chain
  }

  private async settle(projectId: string, traceIds: readonly string[]): Promise<void> {
    const rows = await this.scores.unsettled(projectId, traceIds)
    if (rows.length === 0) return
    const targets = await this.scores.traceTargets(projectId, [...new Set(rows.map((r) => r.trace_id))])
    const settled = rows.flatMap((row): ScoreRow[] => {
      const target = targets.get(row.trace_id)
      if (!target) return []
      return [
        {
          ...row,
          release: target.release,
          agent: target.agent,
          models: target.models,
          session_id: row.session_id || target.sessionId,
          // The partition is by month: a score never moves to another one.
          time: target.startTime.slice(0, 7) === row.time.slice(0, 7) ? target.startTime : row.time,
          version: Number(row.version) + 1,
          target_settled: 1,
        },
      ]
    })
    const token = createHash('sha256')
      .update(settled.map((r) => `${r.score_id}:${r.version}`).join(','))
      .digest('hex')
    await this.scores.write(settled, `scores:${projectId}:settle:${token}`, { history: false })
  }
}
