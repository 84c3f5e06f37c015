import { describe, expect, it } from 'vitest'
import type { Attributes } from '../types.js'
import { classifySpan as classify } from './kind.js'

const classifySpan = (attrs: Attributes, name: string, otelKind: number, scope = '') =>
  classify({ attrs, name, otelKind, scope })

describe('classifySpan', () => {
  it.each<[string, Attributes, string, boolean]>([
    ['gen_ai chat', { 'gen_ai.operation.name': 'chat' }, 'llm', true],
    ['gen_ai text_completion', { 'gen_ai.operation.name': 'text_completion' }, 'llm', true],
    ['gen_ai generate_content', { 'gen_ai.operation.name': 'generate_content' }, 'llm', true],
    ['gen_ai embeddings', { 'gen_ai.operation.name': 'embeddings' }, 'embedding', true],
    ['gen_ai execute_tool', { 'gen_ai.operation.name': 'execute_tool' }, 'tool', false],
    ['gen_ai invoke_agent', { 'gen_ai.operation.name': 'invoke_agent' }, 'agent', false],
    ['gen_ai create_agent', { 'gen_ai.operation.name': 'create_agent' }, 'agent', false],
    ['gen_ai retrieval', { 'gen_ai.operation.name': 'retrieval' }, 'retriever', false],
    ['gen_ai invoke_workflow', { 'gen_ai.operation.name': 'invoke_workflow' }, 'chain', false],
    ['OI LLM', { 'openinference.span.kind': 'LLM' }, 'llm', true],
    ['OI RERANKER', { 'openinference.span.kind': 'RERANKER' }, 'retriever', false],
    ['OI GUARDRAIL', { 'openinference.span.kind': 'GUARDRAIL' }, 'guardrail', false],
    ['OI AGENT', { 'openinference.span.kind': 'AGENT' }, 'agent', false],
    ['traceloop workflow', { 'traceloop.span.kind': 'workflow' }, 'chain', false],
    ['traceloop task', { 'traceloop.span.kind': 'task' }, 'chain', false],
    ['traceloop tool', { 'traceloop.span.kind': 'tool' }, 'tool', false],
    ['AI SDK doGenerate', { 'ai.operationId': 'ai.generateText.doGenerate' }, 'llm', true],
    ['AI SDK doStream', { 'ai.operationId': 'ai.streamText.doStream' }, 'llm', true],
    ['AI SDK doEmbed', { 'ai.operationId': 'ai.embed.doEmbed' }, 'embedding', true],
    ['AI SDK toolCall', { 'ai.operationId': 'ai.toolCall' }, 'tool', false],
    ['AI SDK function root', { 'ai.operationId': 'ai.generateText', 'ai.telemetry.functionId': 'f' }, 'agent', false],
    ['AI SDK anonymous root', { 'ai.operationId': 'ai.streamText' }, 'chain', false],
    ['langfuse generation', { 'langfuse.observation.type': 'generation' }, 'llm', true],
    ['langfuse event', { 'langfuse.observation.type': 'event' }, 'span', false],
    [
      'mastra generation aggregate',
      { 'mastra.span.type': 'model_generation', 'gen_ai.operation.name': 'chat' },
      'llm',
      false,
    ],
    ['mastra step (its call is the model_inference under it)', { 'mastra.span.type': 'model_step' }, 'llm', false],
    ['mastra inference', { 'mastra.span.type': 'model_inference' }, 'llm', true],
    ['mastra agent', { 'mastra.span.type': 'agent_run' }, 'agent', false],
    ['MCP tools/call', { 'mcp.method.name': 'tools/call' }, 'tool', false],
    ['MCP other', { 'mcp.method.name': 'initialize' }, 'span', false],
  ])('%s', (_label, attrs, kind, isProviderCall) => {
    expect(classifySpan(attrs, 'x', 1)).toMatchObject({ kind, isProviderCall })
  })

  it('prefers gen_ai.operation.name over other conventions', () => {
    const attrs = { 'gen_ai.operation.name': 'chat', 'traceloop.span.kind': 'task' }
    expect(classifySpan(attrs, 'x', 1)).toEqual({ kind: 'llm', isProviderCall: true, operation: 'chat' })
  })

  it('tells an A2A hand-off (client) from the remote agent (server)', () => {
    const attrs = { 'a2a.task.id': 't1', 'a2a.method': 'message/send' }
    expect(classifySpan(attrs, 'x', 3)).toMatchObject({ kind: 'handoff', operation: 'message/send' })
    expect(classifySpan(attrs, 'x', 2).kind).toBe('agent')
  })

  it.each([
    ['chat gpt-4o', 'llm'],
    ['execute_tool get_weather', 'tool'],
    ['invoke_agent demo', 'agent'],
    ['embeddings text-embedding-3', 'embedding'],
    ['whatever', 'span'],
  ])('falls back to the span name %j', (name, kind) => {
    expect(classifySpan({}, name, 1).kind).toBe(kind)
  })
})
