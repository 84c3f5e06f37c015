import { describe, expect, it } from 'vitest'
import { judgeRequestBody, judgeUsage, parseJudgeAnswer, renderRubric, type JudgeSpec } from './judge.js'

const spec: JudgeSpec = {
  rubric: 'Did the answer to {{input}} help? Answer: {{output}}. Steps:\n{{trajectory}} {{unknown}}',
  scoreMin: 0,
  scoreMax: 1,
  labels: ['helpful', 'unhelpful'],
  maxOutputTokens: 200,
}
const facts = {
  input: 'refund ord-1',
  output: 'Refunded.',
  trajectory: 'planner: tool_call db_lookup',
  outcome: 'ok',
  error: '',
}

describe('LLM judge, pure half', () => {
  it('fills the rubric and leaves unknown placeholders visible', () => {
    expect(renderRubric(spec.rubric, facts)).toBe(
      'Did the answer to refund ord-1 help? Answer: Refunded.. Steps:\nplanner: tool_call db_lookup {{unknown}}',
    )
  })

  it('asks for structured output in the range and labels', () => {
    const body = judgeRequestBody(spec, 'gpt-4o-mini', facts) as {
      model: string
      response_format: { json_schema: { schema: { properties: Record<string, unknown> } } }
      temperature: number
    }
    expect(body.model).toBe('gpt-4o-mini')
    expect(body.temperature).toBe(0)
    expect(body.response_format.json_schema.schema.properties).toMatchObject({
      score: { minimum: 0, maximum: 1 },
      label: { enum: ['helpful', 'unhelpful'] },
    })
  })

  it('parses a good answer and refuses a bad one with the reason', () => {
    expect(parseJudgeAnswer(spec, '```json\n{"score": 0.8, "label": "helpful", "explanation": "ok"}\n```')).toEqual({
      ok: true,
      verdict: { score: 0.8, label: 'helpful', explanation: 'ok' },
    })
    expect(parseJudgeAnswer(spec, '{"score": 7, "label": "helpful"}')).toEqual({
      ok: false,
      error: 'judge scored 7, outside 0–1',
    })
    expect(parseJudgeAnswer(spec, '{"score": 1, "label": "great"}')).toMatchObject({
      ok: false,
      error: expect.stringContaining('not one of'),
    })
    expect(parseJudgeAnswer(spec, 'The answer is good.')).toMatchObject({
      ok: false,
      error: expect.stringContaining('did not answer JSON'),
    })
    expect(parseJudgeAnswer(spec, '{"label": "helpful"}')).toMatchObject({
      ok: false,
      error: expect.stringContaining('no numeric score'),
    })
  })

  it('reads OpenAI usage', () => {
    expect(
      judgeUsage({
        usage: { prompt_tokens: 320, completion_tokens: 40, prompt_tokens_details: { cached_tokens: 100 } },
      }),
    ).toEqual({ inputTokens: 320, outputTokens: 40, cachedInputTokens: 100 })
    expect(judgeUsage({})).toEqual({ inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 })
  })
})
