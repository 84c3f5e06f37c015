import { describe, expect, it } from 'vitest'
import { extractTool } from './tool.js'

describe('extractTool', () => {
  it('reads OTel keys and serialises structured arguments', () => {
    const attrs = {
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.tool.call.id': 'call_1',
      'gen_ai.tool.call.arguments': { city: 'Paris' },
      'gen_ai.tool.call.result': '{"tempC":18}',
    }
    expect(extractTool(attrs, 'execute_tool get_weather')).toEqual({
      name: 'get_weather',
      callId: 'call_1',
      arguments: '{"city":"Paris"}',
      result: '{"tempC":18}',
    })
  })

  it('reads OpenInference TOOL spans and quotes plain-text input', () => {
    const attrs = {
      'tool.name': 'get_weather',
      'tool_call.id': 'c9',
      'input.value': 'Paris',
      'output.value': '{"ok":true}',
    }
    expect(extractTool(attrs, 'get_weather')).toEqual({
      name: 'get_weather',
      callId: 'c9',
      arguments: '"Paris"',
      result: '{"ok":true}',
    })
  })

  it('reads Traceloop entity fields on tool spans', () => {
    const attrs = {
      'traceloop.span.kind': 'tool',
      'traceloop.entity.name': 'get_weather',
      'traceloop.entity.input': '{"args":[],"kwargs":{"city":"Paris"}}',
      'traceloop.entity.output': '{"city":"Paris"}',
    }
    expect(extractTool(attrs, 'get_weather.tool')).toMatchObject({
      name: 'get_weather',
      callId: '',
      arguments: '{"args":[],"kwargs":{"city":"Paris"}}',
    })
    expect(extractTool({}, 'lookup.tool').name).toBe('lookup')
  })

  it('reads AI SDK toolCall keys', () => {
    const attrs = {
      'ai.toolCall.name': 'getWeather',
      'ai.toolCall.id': 'call_weather_1',
      'ai.toolCall.args': '{"city":"Paris"}',
    }
    expect(extractTool(attrs, 'ai.toolCall')).toEqual({
      name: 'getWeather',
      callId: 'call_weather_1',
      arguments: '{"city":"Paris"}',
      result: '',
    })
  })

  it('takes the MCP tool name from the span name when gen_ai.tool.name is absent', () => {
    expect(extractTool({ 'mcp.method.name': 'tools/call' }, 'tools/call search').name).toBe('search')
  })

  it('reads Langfuse tool observations (name = span name)', () => {
    const attrs = {
      'langfuse.observation.type': 'tool',
      'langfuse.observation.input': { q: 'x' },
      'langfuse.observation.output': 'done',
    }
    expect(extractTool(attrs, 'search_docs')).toEqual({
      name: 'search_docs',
      callId: '',
      arguments: '{"q":"x"}',
      result: '"done"',
    })
  })

  it('unwraps the serialised LangChain ToolMessage that OpenInference records as the output', () => {
    const output = JSON.stringify({
      output: {
        lc: 1,
        type: 'constructor',
        id: ['langchain_core', 'messages', 'ToolMessage'],
        kwargs: { content: '{"tempC":7}', tool_call_id: 'lc-call-1', name: 'get_weather' },
      },
    })
    const tool = extractTool(
      { 'openinference.span.kind': 'TOOL', 'tool.name': 'get_weather', 'input.value': 'Oslo', 'output.value': output },
      'get_weather',
    )
    expect(tool).toEqual({ name: 'get_weather', callId: 'lc-call-1', arguments: '"Oslo"', result: '{"tempC":7}' })
  })

  it('keeps an output that only mentions ToolMessage', () => {
    expect(extractTool({ 'tool.name': 't', 'output.value': 'ToolMessage is a class' }, 't').result).toBe(
      '"ToolMessage is a class"',
    )
  })
})
