import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { afterEach, describe, expect, it } from 'vitest'
import { parentIdOf, spanIdOf, startTestSdk, traceIdOf, type TestSdk } from '../test/helpers.js'
import { withAgent, withGuardrail, withLlmCall, withTool } from './index.js'

let t: TestSdk
afterEach(async () => {
  await t.sdk.shutdown()
})

describe('withAgent / withLlmCall / withTool', () => {
  it('nests llm and tool spans under the agent span in one trace', async () => {
    t = startTestSdk()
    const result = await withAgent(
      'planner',
      async () => {
        const weather = await withTool('get_weather', { city: 'Oslo' }, async () => ({ c: 4 }), {
          callId: 'call_1',
        })
        return withLlmCall({ model: 'gpt-4o-mini', provider: 'openai' }, (call) => {
          call.record({ usage: { inputTokens: 10, outputTokens: 2 } })
          return `it is ${weather.c}`
        })
      },
      { sessionId: 'conv-1', userId: 'user-7', agentId: 'agt-1', description: 'plans trips' },
    )
    expect(result).toBe('it is 4')

    const agent = t.span('invoke_agent planner')
    const tool = t.span('execute_tool get_weather')
    const llm = t.span('chat gpt-4o-mini')
    expect(parentIdOf(agent)).toBeUndefined()
    expect(parentIdOf(tool)).toBe(spanIdOf(agent))
    expect(parentIdOf(llm)).toBe(spanIdOf(agent))
    expect(new Set([agent, tool, llm].map(traceIdOf)).size).toBe(1)

    expect(agent.kind).toBe(SpanKind.INTERNAL)
    expect(agent.attributes).toEqual({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'planner',
      'gen_ai.agent.id': 'agt-1',
      'gen_ai.agent.description': 'plans trips',
      'gen_ai.conversation.id': 'conv-1',
      'user.id': 'user-7',
    })
    expect(tool.kind).toBe(SpanKind.INTERNAL)
    expect(tool.attributes).toEqual({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.tool.call.id': 'call_1',
    })
    expect(llm.kind).toBe(SpanKind.CLIENT)
    expect(agent.resource.attributes['service.name']).toBe('sdk-test')
  })

  it('records usage, response model and finish reasons on the llm span', async () => {
    t = startTestSdk()
    await withLlmCall({ model: 'claude-sonnet-4', provider: 'anthropic' }, (call) =>
      call.record({
        responseModel: 'claude-sonnet-4-20250514',
        usage: {
          inputTokens: 1200,
          outputTokens: 300,
          cachedInputTokens: 1000,
          cacheWriteTokens: 100,
          reasoningTokens: 50,
        },
        finishReasons: ['end_turn'],
      }),
    )
    expect(t.span('chat claude-sonnet-4').attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4',
      'gen_ai.response.model': 'claude-sonnet-4-20250514',
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.usage.cache_read.input_tokens': 1000,
      'gen_ai.usage.cache_creation.input_tokens': 100,
      'gen_ai.usage.reasoning.output_tokens': 50,
      'gen_ai.response.finish_reasons': ['end_turn'],
    })
  })

  it('marks a failing tool as ERROR with error.type and an exception event, rethrows, and ends the span', async () => {
    t = startTestSdk()
    class RateLimitError extends Error {
      override name = 'RateLimitError'
    }
    const failure = new RateLimitError('slow down')
    await expect(withAgent('a', () => withTool('flaky', {}, () => Promise.reject(failure)))).rejects.toBe(failure)

    for (const name of ['execute_tool flaky', 'invoke_agent a']) {
      const span = t.span(name)
      expect(span.ended).toBe(true)
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: 'slow down' })
      expect(span.attributes['error.type']).toBe('RateLimitError')
      const [event] = span.events
      expect(event?.name).toBe('exception')
      expect(event?.attributes?.['exception.type']).toBe('RateLimitError')
      expect(event?.attributes?.['exception.message']).toBe('slow down')
    }
  })

  it('uses the error code as error.type when there is one, and handles synchronous throws', async () => {
    t = startTestSdk()
    const failure = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    await expect(
      withLlmCall({ model: 'm', provider: 'p' }, () => {
        throw failure
      }),
    ).rejects.toBe(failure)
    const span = t.span('chat m')
    expect(span.attributes['error.type']).toBe('ECONNREFUSED')
    expect(span.ended).toBe(true)

    await expect(withTool('t', {}, () => Promise.reject('plain string'))).rejects.toBe('plain string')
    expect(t.span('execute_tool t').attributes['error.type']).toBe('_OTHER')
  })

  it('writes guardrail spans that Sightline classifies as guardrails', async () => {
    t = startTestSdk()
    await withGuardrail('pii-filter', () => true)
    const span = t.span('guardrail pii-filter')
    expect(span.attributes).toEqual({
      'gen_ai.operation.name': 'apply_guardrail',
      'openinference.span.kind': 'GUARDRAIL',
    })
  })
})

describe('registerSightline', () => {
  it('with register: false leaves the globals alone and still feeds its own exporter', async () => {
    // The app owns the globals here: it registered a context manager, nothing else.
    const contextManager = new AsyncLocalStorageContextManager().enable()
    context.setGlobalContextManager(contextManager)
    try {
      t = startTestSdk({ register: false, environment: 'staging', serviceVersion: '2.0.0' })
      expect(trace.getTracerProvider().getTracer('x').startSpan('y').isRecording()).toBe(false)
      await withAgent('solo', () => withTool('t', null, () => 1))
      expect(parentIdOf(t.span('execute_tool t'))).toBe(spanIdOf(t.span('invoke_agent solo')))
      expect(t.span('invoke_agent solo').resource.attributes).toMatchObject({
        'service.name': 'sdk-test',
        'service.version': '2.0.0',
        'deployment.environment.name': 'staging',
      })
    } finally {
      context.disable()
    }
  })

  it('adds OTEL_RESOURCE_ATTRIBUTES to the resource; the options given in code win', async () => {
    const before = process.env.OTEL_RESOURCE_ATTRIBUTES
    process.env.OTEL_RESOURCE_ATTRIBUTES =
      'sightline.regress.run_id=r1,sightline.regress.case_id=rc-x,service.version=9.9.9'
    try {
      t = startTestSdk({ serviceVersion: '2.0.0' })
      await withAgent('solo', () => 1)
      expect(t.span('invoke_agent solo').resource.attributes).toMatchObject({
        'service.name': 'sdk-test',
        'service.version': '2.0.0',
        'sightline.regress.run_id': 'r1',
        'sightline.regress.case_id': 'rc-x',
      })
    } finally {
      if (before === undefined) delete process.env.OTEL_RESOURCE_ATTRIBUTES
      else process.env.OTEL_RESOURCE_ATTRIBUTES = before
    }
  })

  it('marks every span as regression-runner traffic when started for a regression case', async () => {
    const previous = process.env.SIGHTLINE_REGRESSION_CASE
    process.env.SIGHTLINE_REGRESSION_CASE = 'rc-weather-loop'
    try {
      t = startTestSdk()
      await withAgent('planner', () => withTool('weather', { city: 'Oslo' }, () => 1))
      expect(t.span('execute_tool weather').resource.attributes['sightline.regression.case']).toBe('rc-weather-loop')
    } finally {
      if (previous === undefined) delete process.env.SIGHTLINE_REGRESSION_CASE
      else process.env.SIGHTLINE_REGRESSION_CASE = previous
    }
    await t.sdk.shutdown()
    t = startTestSdk()
    await withAgent('planner', () => 1)
    expect(t.span('invoke_agent planner').resource.attributes['sightline.regression.case']).toBeUndefined()
  })

  it('registers the globals and releases them on shutdown', async () => {
    t = startTestSdk()
    trace.getTracer('other-instrumentation').startSpan('foreign').end()
    expect(t.spans().map((s) => s.name)).toEqual(['foreign'])
    await t.sdk.shutdown()
    t = startTestSdk()
    trace.getTracer('other-instrumentation').startSpan('second').end()
    expect(t.spans().map((s) => s.name)).toEqual(['second'])
  })
})
