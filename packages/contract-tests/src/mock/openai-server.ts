/**
 * OpenAI API mock: `POST /v1/chat/completions` (plain and streamed) and `POST /v1/responses`
 * (plain). Usage follows the API: `prompt_tokens` / `input_tokens` include the cached tokens and
 * `completion_tokens` / `output_tokens` include the reasoning tokens, each broken down in
 * `*_details`. A stream carries usage only when the client asked for it
 * (`stream_options.include_usage`), as the real API does.
 */
import type http from 'node:http'
import type { TokenUsage } from '../ground-truth.js'
import { sendJson, sendSse, startJsonServer, type MockServer } from './http.js'
import type { ModelScript, ScriptedReply } from './script.js'

const CREATED = 1_767_225_600 // 2026-01-01T00:00:00Z: fixed, so bodies differ only where frameworks differ

function chatUsage(u: TokenUsage) {
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cachedInputTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: u.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  }
}

function responsesUsage(u: TokenUsage) {
  return {
    input_tokens: u.inputTokens,
    input_tokens_details: { cached_tokens: u.cachedInputTokens },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: u.reasoningTokens },
    total_tokens: u.inputTokens + u.outputTokens,
  }
}

function chatMessage(reply: ScriptedReply) {
  const toolCalls = (reply.toolCalls ?? []).map((call) => ({
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.args) },
  }))
  return {
    role: 'assistant',
    content: reply.text ?? null,
    refusal: null,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
  }
}

const finishReason = (reply: ScriptedReply) => ((reply.toolCalls ?? []).length > 0 ? 'tool_calls' : 'stop')

function sendChatStream(res: http.ServerResponse, reply: ScriptedReply, id: string, includeUsage: boolean): void {
  const chunk = (delta: unknown, finish: string | null) => ({
    id,
    object: 'chat.completion.chunk',
    created: CREATED,
    model: reply.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  })
  const events: unknown[] = [chunk({ role: 'assistant', content: '' }, null)]
  if (reply.text !== undefined) events.push(chunk({ content: reply.text }, null))
  ;(reply.toolCalls ?? []).forEach((call, index) =>
    events.push(
      chunk(
        {
          tool_calls: [
            {
              index,
              id: call.id,
              type: 'function',
              function: { name: call.name, arguments: JSON.stringify(call.args) },
            },
          ],
        },
        null,
      ),
    ),
  )
  events.push(chunk({}, finishReason(reply)))
  if (includeUsage)
    events.push({
      id,
      object: 'chat.completion.chunk',
      created: CREATED,
      model: reply.model,
      choices: [],
      usage: chatUsage(reply.usage),
    })
  sendSse(res, events, '[DONE]')
}

function responsesBody(reply: ScriptedReply, id: string) {
  const output = [
    ...(reply.toolCalls ?? []).map((call, i) => ({
      type: 'function_call',
      id: `fc_${id}_${i}`,
      call_id: call.id,
      name: call.name,
      arguments: JSON.stringify(call.args),
      status: 'completed',
    })),
    ...(reply.text === undefined
      ? []
      : [
          {
            type: 'message',
            id: `msg_${id}`,
            role: 'assistant',
            status: 'completed',
            content: [{ type: 'output_text', text: reply.text, annotations: [] }],
          },
        ]),
  ]
  return {
    id: `resp_${id}`,
    object: 'response',
    created_at: CREATED,
    status: 'completed',
    error: null,
    incomplete_details: null,
    model: reply.model,
    output,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage: responsesUsage(reply.usage),
  }
}

interface ChatRequest {
  model?: string
  stream?: boolean
  stream_options?: { include_usage?: boolean }
}

export function startOpenAiMock(script: ModelScript): Promise<MockServer> {
  let served = 0
  return startJsonServer((url, body, res) => {
    const request = body as ChatRequest
    const model = request.model ?? ''
    const id = `mock${++served}`
    if (url.endsWith('/chat/completions')) {
      const reply = script.next(model, body)
      const stream = request.stream === true
      const includeUsage = !stream || request.stream_options?.include_usage === true
      const usage = includeUsage
        ? reply.usage
        : { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, reasoningTokens: 0 }
      script.record(
        reply,
        {
          provider: 'openai',
          api: 'openai.chat.completions',
          stream,
          providerUsage: includeUsage ? chatUsage(usage) : {},
        },
        usage,
      )
      if (stream) return sendChatStream(res, reply, `chatcmpl-${id}`, includeUsage)
      return sendJson(res, {
        id: `chatcmpl-${id}`,
        object: 'chat.completion',
        created: CREATED,
        model: reply.model,
        choices: [{ index: 0, message: chatMessage(reply), logprobs: null, finish_reason: finishReason(reply) }],
        usage: chatUsage(reply.usage),
      })
    }
    if (url.endsWith('/responses')) {
      if (request.stream === true) throw new Error('openai mock: streamed Responses API is not scripted')
      const reply = script.next(model, body)
      script.record(
        reply,
        { provider: 'openai', api: 'openai.responses', stream: false, providerUsage: responsesUsage(reply.usage) },
        reply.usage,
      )
      return sendJson(res, responsesBody(reply, id))
    }
    throw new Error(`openai mock: no route for ${url}`)
  })
}
