/**
 * Gemini API (`generativelanguage`) mock: `POST /v1beta/models/{model}:generateContent` and
 * `:streamGenerateContent?alt=sse`. Point `@google/genai` at it with `GOOGLE_GEMINI_BASE_URL`.
 * Usage follows the API: `promptTokenCount` includes `cachedContentTokenCount`, and
 * `candidatesTokenCount` EXCLUDES `thoughtsTokenCount` (both are billed as output).
 */
import type { TokenUsage } from '../ground-truth.js'
import { sendJson, sendSse, startJsonServer, type MockServer } from './http.js'
import type { ModelScript, ScriptedReply } from './script.js'

function geminiUsage(u: TokenUsage): Record<string, number> {
  const candidates = u.outputTokens - u.reasoningTokens
  return {
    promptTokenCount: u.inputTokens,
    candidatesTokenCount: candidates,
    ...(u.cachedInputTokens > 0 ? { cachedContentTokenCount: u.cachedInputTokens } : {}),
    ...(u.reasoningTokens > 0 ? { thoughtsTokenCount: u.reasoningTokens } : {}),
    totalTokenCount: u.inputTokens + u.outputTokens,
  }
}

function geminiResponse(reply: ScriptedReply, responseId: string) {
  const parts = [
    ...(reply.text === undefined ? [] : [{ text: reply.text }]),
    ...(reply.toolCalls ?? []).map((call) => ({ functionCall: { name: call.name, args: call.args } })),
  ]
  return {
    candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
    usageMetadata: geminiUsage(reply.usage),
    modelVersion: reply.model,
    responseId,
  }
}

export function startGeminiMock(script: ModelScript): Promise<MockServer> {
  let served = 0
  return startJsonServer((url, body, res) => {
    const match = /\/models\/([^/:?]+):(generateContent|streamGenerateContent)/.exec(url)
    if (!match) throw new Error(`gemini mock: no route for ${url}`)
    const model = decodeURIComponent(match[1]!)
    const stream = match[2] === 'streamGenerateContent'
    const reply = script.next(model, body)
    const response = geminiResponse(reply, `mock-gemini-${++served}`)
    script.record(
      reply,
      { provider: 'google', api: `gemini.${match[2]!}`, stream, providerUsage: response.usageMetadata },
      reply.usage,
    )
    if (stream) sendSse(res, [response])
    else sendJson(res, response)
  })
}
