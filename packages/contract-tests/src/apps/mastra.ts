/**
 * Mastra: one agent with a tool (`get_weather`, fails once) on an AI SDK OpenAI chat model against
 * the chat-completions mock, exported the way Mastra documents it: `Observability` with
 * `@mastra/otel-exporter`'s custom provider over OTLP/HTTP protobuf. The conversation is a memory
 * thread id passed in the run's tracing metadata.
 */
import { Agent } from '@mastra/core/agent'
import { Mastra } from '@mastra/core/mastra'
import { createTool } from '@mastra/core/tools'
import { Observability } from '@mastra/observability'
import { OtelExporter } from '@mastra/otel-exporter'
import { createOpenAI } from 'ai-sdk-openai-v3'
import { z } from 'zod'
import type { FrameworkCapture } from '../capture/framework.js'
import { failOnce } from '../capture/recorder.js'
import { usage, type ScriptedReply } from '../mock/script.js'

const MODEL = 'gpt-4o-mini'
const AGENT = 'weather-agent'
const THREAD_ID = 'mastra-thread-3'
const USER_ID = 'user-7'
const berlin = { city: 'Berlin' }

const script: ScriptedReply[] = [
  {
    model: MODEL,
    agent: AGENT,
    toolCalls: [{ id: 'call_weather_1', name: 'get_weather', args: berlin }],
    usage: usage(151, 17),
  },
  {
    model: MODEL,
    agent: AGENT,
    toolCalls: [{ id: 'call_weather_2', name: 'get_weather', args: berlin }],
    usage: usage(204, 17, 64),
  },
  { model: MODEL, agent: AGENT, text: 'It is 4°C and cloudy in Berlin.', usage: usage(262, 12, 128) },
]

export const mastraCapture: FrameworkCapture = {
  framework: 'mastra',
  scenario:
    'Mastra agent weather-agent with get_weather (fails once) on @ai-sdk/openai chat; ' +
    'Observability + OtelExporter (custom provider, http/protobuf); thread id in tracing metadata',
  mock: 'openai',
  script,
  packages: [['@mastra/core'], ['@mastra/observability'], ['@mastra/otel-exporter'], ['ai-sdk-openai-v3']],
  exporter: {
    package: '@opentelemetry/exporter-trace-otlp-proto',
    resolvedFrom: '@mastra/otel-exporter',
    protocol: 'protobuf',
  },
  async run({ otlpUrl, modelUrl, tools }) {
    const weatherFails = failOnce()
    const getWeather = createTool({
      id: 'get_weather',
      description: 'Current weather for a city',
      inputSchema: z.object({ city: z.string() }),
      execute: (input) =>
        tools.call('get_weather', AGENT, input, () => {
          weatherFails('get_weather', 'weather service returned 503')
          return { city: input.city, tempC: 4, conditions: 'cloudy' }
        }),
    })
    const openai = createOpenAI({ baseURL: `${modelUrl}/v1`, apiKey: 'mock-key' })
    const agent = new Agent({
      id: AGENT,
      name: AGENT,
      instructions: 'Answer weather questions with get_weather.',
      model: openai.chat(MODEL),
      tools: { get_weather: getWeather },
    })
    const exporter = new OtelExporter({
      provider: { custom: { endpoint: `${otlpUrl}/v1/traces`, protocol: 'http/protobuf' } },
      signals: { logs: false },
    })
    const mastra = new Mastra({
      agents: { weatherAgent: agent },
      observability: new Observability({
        configs: { otel: { serviceName: 'weather-service', exporters: [exporter] } },
      }),
    })
    const result = await mastra.getAgent('weatherAgent').generate('What is the weather in Berlin?', {
      maxSteps: 5,
      tracingOptions: { metadata: { threadId: THREAD_ID, userId: USER_ID } },
    })
    if (!result.text.includes('Berlin')) throw new Error(`mastra: unexpected answer ${result.text}`)
    await mastra.shutdown()
    return {
      runs: 1,
      agents: [AGENT],
      handoffs: [],
      sessionId: THREAD_ID,
      userId: USER_ID,
      notes: [
        'threadId and userId are passed as tracingOptions.metadata; the OTel exporter maps metadata.threadId to ' +
          'gen_ai.conversation.id.',
        'get_weather throws on its first call; Mastra returns the error to the model as a tool error and the model ' +
          'retries.',
      ],
    }
  },
}
