/**
 * The judge's own call, traced into the project like any model call: one `chat {model}` span
 * (service `sightline-judge`, the judged trace and the evaluator as attributes, prompt and answer
 * as messages) through the same normalise → price → spool path as OTLP, so it is priced by the
 * same rules and shows up in cost dashboards. Its cost is what the run records.
 */
import { randomBytes } from 'node:crypto'
import type { Deps } from '../deps.js'
import { rowsFromBody } from '../otlp/rows-from-body.js'

export interface JudgeSpanFacts {
  projectId: string
  evaluatorId: string
  evaluatedTraceId: string
  provider: string
  requestModel: string
  responseModel: string
  responseId: string
  prompt: string
  answer: string
  inputTokens: number
  outputTokens: number
  cachedInputTokens: number
  startedMs: number
  endedMs: number
  error: string
}

/** The service name of judge calls: evaluators never evaluate them (a judge judging itself would never end). */
export const JUDGE_SERVICE = 'sightline-judge'

type KeyValue = { key: string; value: { stringValue: string } | { intValue: number } }
const kv = (key: string, value: string | number): KeyValue => ({
  key,
  value: typeof value === 'string' ? { stringValue: value } : { intValue: value },
})
const nanos = (ms: number) => (BigInt(Math.round(ms)) * 1_000_000n).toString()

/** Records the call; resolves with its trace id and priced cost (null when the model has no price). */
export async function traceJudgeCall(
  deps: Pick<Deps, 'writer' | 'env'>,
  f: JudgeSpanFacts,
): Promise<{ traceId: string; costUsd: number | null }> {
  const traceId = randomBytes(16).toString('hex')
  const usage = f.error
    ? []
    : [
        kv('gen_ai.usage.input_tokens', f.inputTokens),
        kv('gen_ai.usage.output_tokens', f.outputTokens),
        ...(f.cachedInputTokens ? [kv('gen_ai.usage.cache_read.input_tokens', f.cachedInputTokens)] : []),
      ]
  const span = {
    traceId,
    spanId: randomBytes(8).toString('hex'),
    name: `chat ${f.requestModel}`,
    kind: 3,
    startTimeUnixNano: nanos(f.startedMs),
    endTimeUnixNano: nanos(Math.max(f.endedMs, f.startedMs)),
    attributes: [
      kv('gen_ai.operation.name', 'chat'),
      kv('gen_ai.provider.name', f.provider),
      kv('gen_ai.request.model', f.requestModel),
      ...(f.responseModel ? [kv('gen_ai.response.model', f.responseModel)] : []),
      ...(f.responseId ? [kv('gen_ai.response.id', f.responseId)] : []),
      ...usage,
      kv('gen_ai.agent.name', 'sightline-judge'),
      kv('sightline.evaluator.id', f.evaluatorId),
      kv('sightline.evaluated.trace_id', f.evaluatedTraceId),
      kv('gen_ai.input.messages', JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: f.prompt }] }])),
      ...(f.answer
        ? [
            kv(
              'gen_ai.output.messages',
              JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: f.answer }] }]),
            ),
          ]
        : []),
      ...(f.error ? [kv('error.type', 'judge_error')] : []),
    ],
    status: f.error ? { code: 2, message: f.error } : { code: 1 },
  }
  const request = {
    resourceSpans: [
      {
        resource: { attributes: [kv('service.name', JUDGE_SERVICE), kv('service.version', '0.1.0')] },
        scopeSpans: [{ scope: { name: 'sightline.eval' }, spans: [span] }],
      },
    ],
  }
  const { rows } = rowsFromBody(Buffer.from(JSON.stringify(request)), 'json', {
    projectId: f.projectId,
    maxAttributeValueBytes: deps.env.INGEST_MAX_ATTRIBUTE_BYTES,
  })
  await deps.writer.append(deps.writer.prepare(rows))
  const cost = rows[0]?.cost_usd
  return { traceId, costUsd: cost === null || cost === undefined ? null : Number(cost) }
}
