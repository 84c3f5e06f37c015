/**
 * One agent run written with the OTel GenAI semantic conventions through a real tracer:
 * invoke_agent → chat (asks for a tool) → execute_tool → chat (answers). Parent links are passed as
 * explicit contexts so no global context manager is needed. Attribute keys are spelled out here
 * instead of imported from the server's constants, so a typo on either side shows up.
 */
import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api'

export interface GenAiRunOptions {
  agentName: string
  model: string
  toolName: string
  toolCallId: string
  /** [input, output] tokens of the two chat calls. */
  usage: [[number, number], [number, number]]
  cachedInputTokens: number
}

export interface GenAiRun {
  traceId: string
  spanIds: { agent: string; chat1: string; tool: string; chat2: string }
  toolArguments: string
  toolResult: string
}

export function recordGenAiRun(tracer: Tracer, o: GenAiRunOptions): GenAiRun {
  const toolArguments = JSON.stringify({ city: 'Paris', unit: 'celsius' })
  const toolResult = JSON.stringify({ temperature: 21, conditions: 'sunny' })
  const agent = tracer.startSpan(`invoke_agent ${o.agentName}`, {
    kind: SpanKind.INTERNAL,
    attributes: {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': o.agentName,
      'gen_ai.provider.name': 'openai',
    },
  })
  const inAgent = trace.setSpan(context.active(), agent)
  const chat = (usage: [number, number], cached: number, finish: string) => {
    const span = tracer.startSpan(
      `chat ${o.model}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': o.model,
          'gen_ai.response.model': o.model,
          'gen_ai.usage.input_tokens': usage[0],
          'gen_ai.usage.output_tokens': usage[1],
          'gen_ai.usage.cache_read.input_tokens': cached,
          'gen_ai.response.finish_reasons': [finish],
        },
      },
      inAgent,
    )
    span.setStatus({ code: SpanStatusCode.OK })
    span.end()
    return span.spanContext().spanId
  }
  const chat1 = chat(o.usage[0], o.cachedInputTokens, 'tool_calls')
  const tool = tracer.startSpan(
    `execute_tool ${o.toolName}`,
    {
      kind: SpanKind.INTERNAL,
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': o.toolName,
        'gen_ai.tool.call.id': o.toolCallId,
        'gen_ai.tool.type': 'function',
        'gen_ai.tool.call.arguments': toolArguments,
        'gen_ai.tool.call.result': toolResult,
      },
    },
    inAgent,
  )
  tool.end()
  const chat2 = chat(o.usage[1], 0, 'stop')
  agent.setStatus({ code: SpanStatusCode.OK })
  agent.end()
  return {
    traceId: agent.spanContext().traceId,
    spanIds: { agent: agent.spanContext().spanId, chat1, tool: tool.spanContext().spanId, chat2 },
    toolArguments,
    toolResult,
  }
}
