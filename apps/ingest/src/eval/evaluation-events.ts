/**
 * `gen_ai.evaluation.result` span events → `otel` scores on their span. Normalisation flags the
 * spans that carry one (SpanFlag.evaluationResult); after each resolution of their trace (and in
 * the resolver's catch-up after a restart) the events are read back from the store and written as
 * scores with deterministic ids, so resolving a trace again, re-sent spans or a replayed spool
 * write nothing new. The work runs beside the resolver, never inside it.
 */
import { EVENT_GEN_AI_EVALUATION_RESULT } from '@sightline/schema/semconv'
import type { ScoreRepository } from '../db/repositories/scores.js'
import { AppError } from '../errors.js'
import type { Logger } from '../logger.js'
import { evaluationScore, readEvaluation } from './otel-evaluation.js'
import type { ScoreToWrite, ScoreWriter } from './score-writer.js'

interface StoredEvent {
  time: string
  name: string
  attributes: Record<string, string>
}

export class EvaluationEventReader {
  private readonly inFlight = new Set<Promise<void>>()

  constructor(
    private readonly scores: ScoreRepository,
    private readonly writer: ScoreWriter,
    private readonly logger: Logger,
  ) {}

  /** Called by the resolver; returns at once. */
  notify(projectId: string, spans: Array<{ traceId: string; spanId: string }>): void {
    const task = this.read(projectId, spans).catch((err: unknown) =>
      this.logger.warn('evaluation events not read; the next resolution of their traces reads them', {
        projectId,
        spans: spans.length,
        err,
      }),
    )
    this.inFlight.add(task)
    void task.finally(() => this.inFlight.delete(task))
  }

  /** Waits for every read in flight (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight])
  }

  private async read(projectId: string, spans: Array<{ traceId: string; spanId: string }>): Promise<void> {
    const scores: ScoreToWrite[] = []
    for (const span of await this.scores.spanEvents(projectId, spans)) {
      for (const event of parseEvents(span.events)) {
        if (event.name !== EVENT_GEN_AI_EVALUATION_RESULT) continue
        const result = readEvaluation(event.attributes)
        if ('problem' in result) {
          this.logger.warn('evaluation event ignored', {
            projectId,
            traceId: span.traceId,
            spanId: span.spanId,
            problem: result.problem,
          })
          continue
        }
        scores.push(evaluationScore(result, span, event.time))
      }
    }
    for (let i = 0; i < scores.length; i += 500) await this.write(projectId, scores.slice(i, i + 500))
  }

  /** A score config may refuse one result: the others are still written, one by one. */
  private async write(projectId: string, scores: ScoreToWrite[]): Promise<void> {
    try {
      await this.writer.write(projectId, scores)
      return
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || scores.length === 1) {
        if (err instanceof AppError && err.status < 500)
          this.logger.warn('evaluation event refused', { projectId, reason: err.message })
        else throw err
        return
      }
    }
    for (const score of scores) await this.write(projectId, [score])
  }
}

function parseEvents(text: string): StoredEvent[] {
  try {
    const value: unknown = JSON.parse(text)
    return Array.isArray(value)
      ? (value as StoredEvent[]).filter((e) => e && typeof e === 'object' && typeof e.name === 'string')
      : []
  } catch {
    return []
  }
}
