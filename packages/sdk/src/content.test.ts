import { afterEach, describe, expect, it } from 'vitest'
import { startTestSdk, type TestSdk } from '../test/helpers.js'
import { composeRedactors, redactionRules, withLlmCall, withTool } from './index.js'

let t: TestSdk
afterEach(async () => {
  await t.sdk.shutdown()
})

const CARD_VALID = '4111 1111 1111 1111'
const CARD_INVALID = '4111 1111 1111 1112'
const SECRET_INPUT = `mail jane@example.com, key sk-abcdefghijklmnopqrstuv, card ${CARD_VALID}, ref ${CARD_INVALID}`

async function runCalls(captureContent?: boolean) {
  await withLlmCall(
    { model: 'gpt-4o', provider: 'openai', input: [{ role: 'user', content: SECRET_INPUT }], captureContent },
    (call) =>
      call.record({
        usage: { inputTokens: 5, outputTokens: 1 },
        output: 'reply to jane@example.com',
        finishReasons: ['stop'],
      }),
  )
  await withTool('lookup', { email: 'jane@example.com' }, () => ({ card: CARD_VALID }), {
    captureContent,
  })
}

const CONTENT_KEYS = [
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.call.result',
]

describe('content capture', () => {
  it('writes no content by default, but still tokens, names and ids', async () => {
    t = startTestSdk()
    await runCalls()
    for (const span of t.spans()) {
      for (const key of CONTENT_KEYS) expect(span.attributes).not.toHaveProperty(key)
    }
    expect(t.span('chat gpt-4o').attributes['gen_ai.usage.input_tokens']).toBe(5)
    expect(t.span('execute_tool lookup').attributes['gen_ai.tool.name']).toBe('lookup')
  })

  it('captures content as OTel JSON when enabled', async () => {
    t = startTestSdk({ captureContent: true })
    await runCalls()
    const llm = t.span('chat gpt-4o').attributes
    expect(JSON.parse(String(llm['gen_ai.input.messages']))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: SECRET_INPUT }] },
    ])
    expect(JSON.parse(String(llm['gen_ai.output.messages']))).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'text', content: 'reply to jane@example.com' }],
        finish_reason: 'stop',
      },
    ])
    const tool = t.span('execute_tool lookup').attributes
    expect(tool['gen_ai.tool.call.arguments']).toBe('{"email":"jane@example.com"}')
    expect(tool['gen_ai.tool.call.result']).toBe(`{"card":"${CARD_VALID}"}`)
  })

  it('per-call override beats the global setting both ways', async () => {
    t = startTestSdk({ captureContent: true })
    await runCalls(false)
    for (const span of t.spans()) {
      for (const key of CONTENT_KEYS) expect(span.attributes).not.toHaveProperty(key)
    }
    await t.sdk.shutdown()
    t = startTestSdk()
    await runCalls(true)
    expect(t.span('execute_tool lookup').attributes).toHaveProperty('gen_ai.tool.call.arguments')
  })

  it('applies the redactor to every captured value', async () => {
    t = startTestSdk({
      captureContent: true,
      redact: composeRedactors(redactionRules.email, redactionRules.apiKey, redactionRules.cardNumber),
    })
    await runCalls()
    const llm = t.span('chat gpt-4o').attributes
    const input = String(llm['gen_ai.input.messages'])
    expect(input).toContain(
      `mail [REDACTED:email], key [REDACTED:api_key], card [REDACTED:card_number], ref ${CARD_INVALID}`,
    )
    expect(String(llm['gen_ai.output.messages'])).toContain('reply to [REDACTED:email]')
    const tool = t.span('execute_tool lookup').attributes
    expect(tool['gen_ai.tool.call.arguments']).toBe('{"email":"[REDACTED:email]"}')
    expect(tool['gen_ai.tool.call.result']).toBe('{"card":"[REDACTED:card_number]"}')
  })

  it('redacts error messages too', async () => {
    t = startTestSdk({ redact: redactionRules.email })
    await expect(
      withTool('send', {}, () => {
        throw new Error('no mailbox for jane@example.com')
      }),
    ).rejects.toThrow('jane@example.com')
    const span = t.span('execute_tool send')
    expect(span.status.message).toBe('no mailbox for [REDACTED:email]')
    expect(span.events[0]?.attributes?.['exception.message']).toBe('no mailbox for [REDACTED:email]')
  })
})
