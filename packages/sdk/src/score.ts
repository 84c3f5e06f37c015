/**
 * Scores from app code: `score()` on a trace, span or session, `scoreCurrentSpan()` for the span in
 * progress, and end-user feedback (thumbs, a 1–5 rating, free text) in two lines:
 *
 *   const sightline = registerSightline({ endpoint, apiKey, serviceName: 'support-bot' })
 *   await sightline.feedback({ traceId, thumbs: 'up', text: 'solved it' })
 *
 * Scores go to `POST {endpoint}/api/v1/scores`. Each call has an id (yours, or a random UUID), so a
 * retry never adds a second score. Feedback usually arrives moments after the trace: the spans are
 * flushed first, and an "unknown trace" answer (the spans are not stored yet) is retried, as are
 * 429, 503 and network errors, with backoff.
 */
import { randomUUID } from 'node:crypto'
import { trace } from '@opentelemetry/api'
import {
  ATTR_GEN_AI_EVALUATION_EXPLANATION,
  ATTR_GEN_AI_EVALUATION_NAME,
  ATTR_GEN_AI_EVALUATION_SCORE_LABEL,
  ATTR_GEN_AI_EVALUATION_SCORE_VALUE,
  ATTR_SIGHTLINE_SCORE_DATA_TYPE,
  ATTR_SIGHTLINE_SCORE_SOURCE,
  EVENT_GEN_AI_EVALUATION_RESULT,
} from '@sightline/schema/semconv'

export type ScoreValue = number | boolean | string

export interface ScoreOptions {
  /** Your id for this score (idempotent: sending it again changes nothing); a UUID otherwise. */
  id?: string
  traceId?: string
  spanId?: string
  sessionId?: string
  name: string
  value: ScoreValue
  /** A label next to a numeric value. */
  label?: string
  comment?: string
  /** Who scored (an end user id, a reviewer). */
  author?: string
  /** The release of what was scored, when it is not the trace's own. */
  release?: string
}

export interface FeedbackOptions {
  /** The trace the user reacts to (return it to your frontend with `currentTraceId()`). */
  traceId?: string
  sessionId?: string
  /** Thumbs up or down → score `user_feedback` (true / false). */
  thumbs?: 'up' | 'down'
  /** 1–5 stars → score `user_rating`. */
  rating?: 1 | 2 | 3 | 4 | 5
  /** Free text: the comment of the scores above; alone, a `user_comment` score (true) carrying it. */
  text?: string
  /** The end user who gave it. */
  userId?: string
  /** Your id for this piece of feedback; each score derives its id from it. */
  id?: string
}

export interface ScoreResult {
  id: string
  status: 'created' | 'updated' | 'unchanged'
}

export interface ScoreClientOptions {
  /** Sightline's base URL (the one spans go to). */
  endpoint: string
  apiKey?: string
  /** Exports pending spans before a score is sent (registerSightline passes its provider's). */
  flushSpans?: () => Promise<void>
  /** Attempts after the first (unknown trace, 429, 503, network). Default 6, about 30 s in all. */
  retries?: number
  retryDelayMs?: number
}

export class ScoreError extends Error {
  override name = 'ScoreError'
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message)
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export class ScoreClient {
  constructor(private readonly options: ScoreClientOptions) {}

  /**
   * @example await scores.score({ traceId, name: 'resolved', value: true, comment: 'closed the ticket' })
   */
  async score(options: ScoreOptions): Promise<ScoreResult> {
    const [result] = await this.send([{ source: 'sdk', ...options, id: options.id ?? randomUUID() }])
    return result!
  }

  /**
   * Scores the span in progress (the active OpenTelemetry span), e.g. inside `withLlmCall`: an OTel
   * `gen_ai.evaluation.result` event on the span, so the score travels with the span (no request,
   * nothing to wait for) and Sightline stores it as an `sdk` score on that span.
   * @example scores.scoreCurrentSpan('grounded', 0.9, { comment: 'cites the policy' })
   */
  scoreCurrentSpan(name: string, value: ScoreValue, extra: { comment?: string; label?: string } = {}): void {
    scoreCurrentSpan(name, value, extra)
  }

  /**
   * End-user feedback on a trace or session: thumbs, a rating and/or free text, one request.
   * @example await scores.feedback({ traceId, thumbs: 'down', text: 'wrong order number', userId: 'u-17' })
   */
  async feedback(options: FeedbackOptions): Promise<ScoreResult[]> {
    const base = {
      ...(options.traceId ? { traceId: options.traceId } : {}),
      ...(options.sessionId ? { sessionId: options.sessionId } : {}),
      author: options.userId ?? '',
      comment: options.text ?? '',
      source: 'sdk',
    }
    const id = options.id ?? randomUUID()
    const scores: Array<Record<string, unknown>> = []
    if (options.thumbs)
      scores.push({ ...base, id: `${id}:thumbs`, name: 'user_feedback', value: options.thumbs === 'up' })
    if (options.rating !== undefined) {
      if (!Number.isInteger(options.rating) || options.rating < 1 || options.rating > 5)
        throw new ScoreError(`rating must be 1–5, not ${options.rating}`, 0)
      scores.push({ ...base, id: `${id}:rating`, name: 'user_rating', value: options.rating })
    }
    if (scores.length === 0 && options.text)
      scores.push({ ...base, id: `${id}:comment`, name: 'user_comment', value: true })
    if (scores.length === 0) throw new ScoreError('feedback needs thumbs, a rating or text', 0)
    return this.send(scores)
  }

  private async send(scores: Array<Record<string, unknown>>): Promise<ScoreResult[]> {
    await this.options.flushSpans?.().catch(() => undefined)
    const url = `${this.options.endpoint.replace(/\/+$/, '')}/api/v1/scores`
    const retries = this.options.retries ?? 6
    const delay = this.options.retryDelayMs ?? 500
    let last = ''
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(Math.min(delay * 2 ** (attempt - 1), 8000))
      let res: Response
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
          },
          body: JSON.stringify({ scores }),
        })
      } catch (err) {
        last = `cannot reach ${url}: ${(err as Error).message}`
        continue
      }
      const body = (await res.json().catch(() => ({}))) as {
        scores?: ScoreResult[]
        error?: { code?: string; message?: string }
      }
      if (res.ok && body.scores) return body.scores
      const message = body.error?.message ?? `HTTP ${res.status}`
      // The trace's spans may simply not be stored yet: that is worth waiting for.
      const retryable =
        res.status === 429 || res.status >= 500 || (res.status === 404 && body.error?.code === 'unknown_target')
      if (!retryable) throw new ScoreError(message, res.status)
      last = message
    }
    throw new ScoreError(`scores not sent after ${retries + 1} attempts: ${last}`, 0)
  }
}

/** See ScoreClient.scoreCurrentSpan; usable without a client. */
export function scoreCurrentSpan(
  name: string,
  value: ScoreValue,
  extra: { comment?: string; label?: string } = {},
): void {
  const span = trace.getActiveSpan()
  if (!span || !span.isRecording())
    throw new ScoreError(
      'no recording span is active: call scoreCurrentSpan inside a traced operation, or use score({ traceId, spanId })',
      0,
    )
  const attributes: Record<string, string | number> = {
    [ATTR_GEN_AI_EVALUATION_NAME]: name,
    [ATTR_SIGHTLINE_SCORE_SOURCE]: 'sdk',
  }
  if (typeof value === 'string') attributes[ATTR_GEN_AI_EVALUATION_SCORE_LABEL] = value
  else {
    attributes[ATTR_GEN_AI_EVALUATION_SCORE_VALUE] = typeof value === 'boolean' ? Number(value) : value
    if (typeof value === 'boolean') attributes[ATTR_SIGHTLINE_SCORE_DATA_TYPE] = 'boolean'
    if (extra.label) attributes[ATTR_GEN_AI_EVALUATION_SCORE_LABEL] = extra.label
  }
  if (extra.comment) attributes[ATTR_GEN_AI_EVALUATION_EXPLANATION] = extra.comment
  span.addEvent(EVENT_GEN_AI_EVALUATION_RESULT, attributes)
}

/** A score client for a process that sends no spans (a web backend relaying user feedback). */
export function createScoreClient(options: ScoreClientOptions): ScoreClient {
  return new ScoreClient(options)
}

/** The trace id of the active span ('' outside one): hand it to your frontend for feedback. */
export function currentTraceId(): string {
  const id = trace.getActiveSpan()?.spanContext().traceId ?? ''
  return id === '0'.repeat(32) ? '' : id
}
