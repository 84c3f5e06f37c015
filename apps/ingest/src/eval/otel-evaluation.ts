/**
 * OpenTelemetry `gen_ai.evaluation.result` (a span event, or a log record with that event name) →
 * an `otel` score on the span it is parented to. The score's id derives from where the result was
 * reported (trace, span, name, time), so a re-sent span or log record writes nothing new.
 */
import { createHash } from 'node:crypto'
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_EVALUATION_EXPLANATION,
  ATTR_GEN_AI_EVALUATION_NAME,
  ATTR_GEN_AI_EVALUATION_SCORE_LABEL,
  ATTR_GEN_AI_EVALUATION_SCORE_VALUE,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_SIGHTLINE_SCORE_DATA_TYPE,
  ATTR_SIGHTLINE_SCORE_SOURCE,
} from '@sightline/schema/semconv'
import type { ScoreToWrite } from './score-writer.js'

export interface EvaluationResult {
  name: string
  value: number | undefined
  label: string | undefined
  explanation: string
  errorType: string
  responseId: string
  /** `sdk` when @sightline/sdk's scoreCurrentSpan wrote it; `otel` otherwise. */
  source: 'otel' | 'sdk'
  isBoolean: boolean
}

const text = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : ''
/** Score names are 1–128 of [A-Za-z0-9._:/-]; an evaluation named "Answer relevance" becomes `Answer_relevance`. */
const scoreName = (name: string) =>
  name
    .trim()
    .replace(/[^A-Za-z0-9._:/-]+/g, '_')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 128)

/** Reads the event's attributes (span events store values as text; log records keep numbers). */
export function readEvaluation(attrs: Readonly<Record<string, unknown>>): EvaluationResult | { problem: string } {
  const name = scoreName(text(attrs[ATTR_GEN_AI_EVALUATION_NAME]))
  if (!name) return { problem: `no ${ATTR_GEN_AI_EVALUATION_NAME}` }
  const rawValue = attrs[ATTR_GEN_AI_EVALUATION_SCORE_VALUE]
  const value =
    typeof rawValue === 'number'
      ? rawValue
      : typeof rawValue === 'string' && rawValue.trim() !== ''
        ? Number(rawValue)
        : undefined
  if (value !== undefined && !Number.isFinite(value))
    return { problem: `${ATTR_GEN_AI_EVALUATION_SCORE_VALUE} ${JSON.stringify(rawValue)} is not a number` }
  const label = text(attrs[ATTR_GEN_AI_EVALUATION_SCORE_LABEL]).slice(0, 200) || undefined
  const errorType = text(attrs[ATTR_ERROR_TYPE]).slice(0, 4000)
  if (value === undefined && label === undefined && !errorType)
    return { problem: `evaluation ${name} has no score value, label or error` }
  const isBoolean = text(attrs[ATTR_SIGHTLINE_SCORE_DATA_TYPE]) === 'boolean' && (value === 0 || value === 1)
  const source = text(attrs[ATTR_SIGHTLINE_SCORE_SOURCE]) === 'sdk' ? 'sdk' : 'otel'
  return {
    name,
    value,
    label,
    explanation: text(attrs[ATTR_GEN_AI_EVALUATION_EXPLANATION]).slice(0, 4000),
    errorType,
    responseId: text(attrs[ATTR_GEN_AI_RESPONSE_ID]),
    source,
    isBoolean,
  }
}

/** The score an evaluation result becomes on (trace, span); `at` (when it was reported) keeps ids apart. */
export function evaluationScore(
  result: EvaluationResult,
  target: { traceId: string; spanId: string },
  at: string,
): ScoreToWrite {
  const digest = createHash('sha256').update([target.traceId, target.spanId, result.name, at].join('\u0000'))
  const id = `otel-${digest.digest('hex').slice(0, 32)}`
  const base = {
    id,
    traceId: target.traceId,
    spanId: target.spanId,
    name: result.name,
    source: result.source,
    comment: result.explanation,
    author: '',
    evaluator: '',
    evaluatorVersion: '',
  }
  // A failed evaluation (error.type without a score) is an error score, shown and never averaged.
  if (result.value === undefined && result.label === undefined) return { ...base, error: result.errorType }
  if (result.value === undefined) return { ...base, value: result.label! }
  if (result.isBoolean) return { ...base, value: result.value === 1 }
  return { ...base, value: result.value, ...(result.label ? { label: result.label } : {}) }
}
