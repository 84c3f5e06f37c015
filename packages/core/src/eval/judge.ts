/**
 * @module eval/judge
 * LLM-as-judge, the pure half: the rubric filled from a trace, the OpenAI-compatible chat request
 * with a structured-output schema, and the judge's answer parsed and checked (a score outside the
 * range, a label not offered or prose instead of JSON is an error, never a guessed score). The
 * HTTP call, retries, budget and tracing are ingest's (apps/ingest/src/eval/judge-client.ts).
 */

export interface JudgeSpec {
  rubric: string
  scoreMin: number
  scoreMax: number
  labels?: readonly string[]
  maxOutputTokens: number
}

/** What the rubric's placeholders are filled with. */
export interface JudgeFacts {
  input: string
  output: string
  /** One step per line: `planner: tool_call weather {"city":"Paris"} (error)`. */
  trajectory: string
  outcome: string
  error: string
}

export interface JudgeVerdict {
  score: number
  label: string
  explanation: string
}

const MAX_FIELD_CHARS = 8000
const clip = (text: string) => (text.length > MAX_FIELD_CHARS ? `${text.slice(0, MAX_FIELD_CHARS)}… [truncated]` : text)

/** `{{name}}` → the fact; unknown placeholders stay as written, so a typo is visible in the run's input. */
export function renderRubric(rubric: string, facts: JudgeFacts): string {
  return rubric.replace(/\{\{\s*(input|output|trajectory|outcome|error)\s*\}\}/g, (_, name: keyof JudgeFacts) =>
    clip(facts[name]),
  )
}

const SYSTEM =
  'You are an evaluator of AI agent runs. Judge only by the rubric. Answer with JSON only: {"score": number, ' +
  '"label": string, "explanation": string}.'

/** The chat-completions request body (OpenAI-compatible, JSON-schema structured output, temperature 0). */
export function judgeRequestBody(spec: JudgeSpec, model: string, facts: JudgeFacts): Record<string, unknown> {
  const range = `a number from ${spec.scoreMin} to ${spec.scoreMax}`
  const labels = spec.labels?.length
    ? ` and "label" one of ${spec.labels.map((l) => JSON.stringify(l)).join(', ')}`
    : ''
  return {
    model,
    temperature: 0,
    max_tokens: spec.maxOutputTokens,
    messages: [
      { role: 'system', content: SYSTEM },
      {
        role: 'user',
        content:
          `${renderRubric(spec.rubric, facts)}\n\nAnswer with "score" ${range}${labels}, ` +
          `and a one-paragraph "explanation".`,
      },
    ],
    response_format: {
      type: 'json_schema',
      json_schema: {
        name: 'evaluation',
        strict: true,
        schema: {
          type: 'object',
          additionalProperties: false,
          required: ['score', 'label', 'explanation'],
          properties: {
            score: { type: 'number', minimum: spec.scoreMin, maximum: spec.scoreMax },
            label: spec.labels?.length ? { type: 'string', enum: [...spec.labels] } : { type: 'string' },
            explanation: { type: 'string' },
          },
        },
      },
    },
  }
}

/** The verdict in the judge's message content, or the reason it is unusable. */
export function parseJudgeAnswer(
  spec: JudgeSpec,
  content: string,
): { ok: true; verdict: JudgeVerdict } | { ok: false; error: string } {
  // Some servers wrap JSON in a code fence despite the schema.
  const text = content
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/\s*```$/, '')
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return { ok: false, error: `judge did not answer JSON: ${JSON.stringify(content.slice(0, 200))}` }
  }
  if (!raw || typeof raw !== 'object') return { ok: false, error: 'judge answer is not a JSON object' }
  const { score, label, explanation } = raw as Record<string, unknown>
  const value = typeof score === 'string' && score.trim() !== '' ? Number(score) : score
  if (typeof value !== 'number' || !Number.isFinite(value))
    return { ok: false, error: `judge answer has no numeric score: ${JSON.stringify(raw).slice(0, 200)}` }
  if (value < spec.scoreMin || value > spec.scoreMax)
    return { ok: false, error: `judge scored ${value}, outside ${spec.scoreMin}–${spec.scoreMax}` }
  const labelText = typeof label === 'string' ? label : ''
  if (spec.labels?.length && !spec.labels.includes(labelText))
    return { ok: false, error: `judge label ${JSON.stringify(labelText)} is not one of ${spec.labels.join(', ')}` }
  return {
    ok: true,
    verdict: { score: value, label: labelText, explanation: typeof explanation === 'string' ? explanation : '' },
  }
}

/** Token usage of an OpenAI-compatible answer (`prompt_tokens` include cached ones, as OTel counts input). */
export function judgeUsage(body: unknown): { inputTokens: number; outputTokens: number; cachedInputTokens: number } {
  const usage = (body as { usage?: Record<string, unknown> } | null)?.usage ?? {}
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : 0)
  const details = (usage.prompt_tokens_details ?? {}) as Record<string, unknown>
  return {
    inputTokens: num(usage.prompt_tokens),
    outputTokens: num(usage.completion_tokens),
    cachedInputTokens: num(details.cached_tokens),
  }
}
