/**
 * OpenInference over the Vercel AI SDK: the AI SDK 6 scenario with its spans rewritten by
 * `@arizeai/openinference-vercel`'s OpenInferenceBatchSpanProcessor (as its README sets it up,
 * keeping only OpenInference spans) and exported as OTLP/HTTP protobuf.
 */
import { isOpenInferenceSpan, OpenInferenceBatchSpanProcessor } from '@arizeai/openinference-vercel'
import { createOpenAI } from 'ai-sdk-openai-v3'
import { generateText, stepCountIs, streamText, tool } from 'ai-v6'
import { z } from 'zod'
import type { FrameworkCapture } from '../capture/framework.js'
import { failOnce } from '../capture/recorder.js'
import {
  AI_SDK_MODEL,
  aiSdkFacts,
  aiSdkScript,
  FUNCTION_ID,
  STREAM_PROMPT,
  telemetryMetadata,
  WEATHER_PROMPT,
  weatherResult,
} from './ai-sdk-scenario.js'
import { startOtelPipeline } from './otel-pipeline.js'

export const openinferenceVercelCapture: FrameworkCapture = {
  framework: 'openinference-vercel',
  scenario:
    'ai@6 generateText (stopWhen) with get_weather failing once, then streamText; ' +
    'spans processed by OpenInferenceBatchSpanProcessor with spanFilter isOpenInferenceSpan',
  mock: 'openai',
  script: aiSdkScript(true),
  packages: [['@arizeai/openinference-vercel'], ['ai-v6'], ['ai-sdk-openai-v3'], ['@opentelemetry/sdk-trace-node']],
  exporter: { package: '@opentelemetry/exporter-trace-otlp-proto', protocol: 'protobuf' },
  async run({ otlpUrl, modelUrl, tools }) {
    const otel = startOtelPipeline({
      otlpUrl,
      serviceName: 'travel-app',
      processor: (exporter) => new OpenInferenceBatchSpanProcessor({ exporter, spanFilter: isOpenInferenceSpan }),
    })
    const model = createOpenAI({ baseURL: `${modelUrl}/v1`, apiKey: 'mock-key' }).chat(AI_SDK_MODEL)
    const telemetry = { isEnabled: true, functionId: FUNCTION_ID, metadata: telemetryMetadata }
    const weatherFails = failOnce()
    const getWeather = tool({
      description: 'Current weather for a city',
      inputSchema: z.object({ city: z.string() }),
      execute: (args) =>
        tools.call('get_weather', FUNCTION_ID, args, () => {
          weatherFails('get_weather', 'weather service returned 503')
          return weatherResult
        }),
    })
    const result = await generateText({
      model,
      prompt: WEATHER_PROMPT,
      tools: { get_weather: getWeather },
      stopWhen: stepCountIs(5),
      experimental_telemetry: telemetry,
    })
    if (!result.text.includes('Lisbon')) throw new Error(`openinference-vercel: unexpected answer ${result.text}`)
    const stream = streamText({ model, prompt: STREAM_PROMPT, experimental_telemetry: telemetry })
    await stream.consumeStream()
    await stream.text
    await otel.finish()
    return aiSdkFacts([
      'get_weather throws on its first call; the SDK sends the error to the model as a tool error and the model ' +
        'retries.',
      "OpenInference's processor adds openinference.span.kind, llm.*, tool.*, " +
        "input/output.value and metadata.* to the AI SDK's own ai.* / gen_ai.* attributes.",
    ])
  },
}
