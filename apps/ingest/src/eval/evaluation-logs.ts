/**
 * `gen_ai.evaluation.result` log records (OTLP/HTTP `/v1/logs`, OTLP/gRPC LogsService) → `otel`
 * scores on the span each is parented to, or the span that produced `gen_ai.response.id` when the
 * record carries no span context. Other log records are accepted and not stored, as before.
 *
 * Logs and spans are exported by separate processors, so a result often arrives before its span
 * is stored. Then the export is answered 503 with Retry-After (OTLP exporters retry it) while the
 * span may still come, and the results already resolvable are written meanwhile (their ids are
 * deterministic, so the retried request writes them once). A result whose span is still unknown
 * after `graceMs` is refused in the partial success, naming it, instead of being retried forever.
 */
import type { Deps } from '../deps.js'
import { AppError, overloaded } from '../errors.js'
import { resolveProject } from '../middleware/auth.js'
import { isCheapToDecode, MAX_EVENT_LOOP_OBJECTS } from '../otlp/decode-cost.js'
import { decodeLogsRequest, type DecodedLogRecord } from '../otlp/decode-logs.js'
import type { OtlpEncoding } from '../otlp/decode.js'
import type { PartialSuccess } from '../otlp/encode-response.js'
import { BodyError } from '../otlp/read-body.js'
import { ATTR_EVENT_NAME, EVENT_GEN_AI_EVALUATION_RESULT } from '@sightline/schema/semconv'
import { evaluationScore, readEvaluation } from './otel-evaluation.js'
import type { ScoreToWrite } from './score-writer.js'
import { chTime } from '../db/sql.js'

export interface LogsExport {
  apiKey: string | undefined
  encoding: OtlpEncoding
  readBody: () => Promise<Uint8Array>
}

/** How long a result may wait for its span before it is refused. */
const EVALUATION_SPAN_GRACE_MS = 30_000
const MAX_TRACKED = 10_000

const nanosToChTime = (nanos: string) => {
  const ms = Number(BigInt(nanos || '0') / 1_000_000n)
  return chTime(ms > 0 ? ms : Date.now())
}

export class EvaluationLogIngest {
  /** When each still-unresolvable result was first seen (by score id). */
  private readonly firstSeen = new Map<string, number>()

  constructor(
    private readonly deps: Pick<Deps, 'projects' | 'scores' | 'scoreWriter'>,
    private readonly graceMs = EVALUATION_SPAN_GRACE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves with the partial success to report; throws AppError (401, 400 via decode, 503 to retry). */
  async export(request: LogsExport): Promise<PartialSuccess | undefined> {
    const projectId = await resolveProject(this.deps.projects, request.apiKey)
    const body = await request.readBody()
    // Decoded on the event loop (logs never go to a decode worker): bounded like a trace body there.
    if (!isCheapToDecode(body, request.encoding, 'logs')) {
      throw new BodyError(
        413,
        `A logs request may hold at most ${MAX_EVENT_LOOP_OBJECTS} objects (log records count ten); ` +
          `Sightline reads only evaluation results from logs: send smaller batches.`,
      )
    }
    const records = decodeLogsRequest(body, request.encoding).filter(isEvaluationRecord)
    if (records.length === 0) return undefined
    const refused: string[] = []
    const ready: ScoreToWrite[] = []
    const waiting: string[] = []
    const candidates: Array<{ score: ScoreToWrite; record: DecodedLogRecord }> = []
    for (const record of records) {
      const result = readEvaluation(record.attributes)
      if ('problem' in result) {
        refused.push(result.problem)
        continue
      }
      let target = record.traceId && record.spanId ? { traceId: record.traceId, spanId: record.spanId } : undefined
      if (!target && result.responseId)
        target = await this.deps.scores.spanByResponseId(
          projectId,
          result.responseId,
          nanosToChTime(record.timeUnixNano || record.observedTimeUnixNano),
        )
      if (!target) {
        refused.push(
          `evaluation ${result.name}: ` +
            `no span context and no ` +
            `known ${result.responseId ? `span with gen_ai.response.id ${result.responseId}` : 'gen_ai.response.id'}`,
        )
        continue
      }
      candidates.push({
        score: evaluationScore(
          result,
          target,
          record.timeUnixNano !== '0' ? record.timeUnixNano : record.observedTimeUnixNano,
        ),
        record,
      })
    }
    const known = await this.deps.scores.spanTargets(
      projectId,
      candidates.map((c) => ({ traceId: c.score.traceId!, spanId: c.score.spanId! })),
    )
    const nowMs = this.now()
    for (const { score } of candidates) {
      if (known.has(`${score.traceId}/${score.spanId}`)) {
        this.firstSeen.delete(score.id!)
        ready.push(score)
        continue
      }
      const first = this.firstSeen.get(score.id!) ?? nowMs
      if (nowMs - first >= this.graceMs) {
        this.firstSeen.delete(score.id!)
        refused.push(
          `evaluation ${score.name}: no span ${score.spanId} in trace ${score.traceId} of this project ` +
            `after ${Math.round(this.graceMs / 1000)} s`,
        )
      } else {
        this.remember(score.id!, first)
        waiting.push(score.id!)
      }
    }
    refused.push(...(await this.write(projectId, ready)))
    if (waiting.length)
      throw overloaded(`${waiting.length} evaluation result(s) name spans not stored yet; retry shortly`, 2)
    return refused.length ? { rejectedSpans: refused.length, errorMessage: refused.slice(0, 10).join('; ') } : undefined
  }

  /** One batch; when a score config refuses some, the rest are written one by one and the refused named. */
  private async write(projectId: string, scores: ScoreToWrite[]): Promise<string[]> {
    if (scores.length === 0) return []
    try {
      await this.deps.scoreWriter.write(projectId, scores)
      return []
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err
    }
    const refused: string[] = []
    for (const score of scores) {
      try {
        await this.deps.scoreWriter.write(projectId, [score])
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err
        refused.push(`evaluation ${score.name}: ${err.message}`)
      }
    }
    return refused
  }

  private remember(id: string, first: number): void {
    if (this.firstSeen.size >= MAX_TRACKED && !this.firstSeen.has(id)) {
      const oldest = this.firstSeen.keys().next().value
      if (oldest !== undefined) this.firstSeen.delete(oldest)
    }
    this.firstSeen.set(id, first)
  }
}

function isEvaluationRecord(record: DecodedLogRecord): boolean {
  return (record.eventName || String(record.attributes[ATTR_EVENT_NAME] ?? '')) === EVENT_GEN_AI_EVALUATION_RESULT
}
