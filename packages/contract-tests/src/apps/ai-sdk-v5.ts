/**
 * Vercel AI SDK 5 (`ai@5`, `@ai-sdk/openai@2`) with `experimental_telemetry`, exported by the OTel
 * SDK's OTLP/HTTP protobuf exporter. The tool throws once; v5 hands the error back to the model.
 */
import { createOpenAI } from 'ai-sdk-openai-v2'
import { generateText, stepCountIs, streamText, tool } from 'ai-v5'
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

export const aiSdkV5Capture: FrameworkCapture = {
  framework: 'ai-sdk-v5',
  scenario:
    'ai@5 generateText (stopWhen stepCountIs) with get_weather failing once, then streamText; ' +
    'experimental_telemetry with functionId and metadata',
  mock: 'openai',
  script: aiSdkScript(true, false),
  packages: [['ai-v5'], ['ai-sdk-openai-v2'], ['@opentelemetry/sdk-trace-node']],
  exporter: { package: '@opentelemetry/exporter-trace-otlp-proto', protocol: 'protobuf' },
  async run({ otlpUrl, modelUrl, tools }) {
    const otel = startOtelPipeline({ otlpUrl, serviceName: 'travel-app' })
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
    if (!result.text.includes('Lisbon')) throw new Error(`ai-sdk-v5: unexpected answer ${result.text}`)
    const stream = streamText({ model, prompt: STREAM_PROMPT, experimental_telemetry: telemetry })
    await stream.consumeStream()
    await stream.text
    await otel.finish()
    return aiSdkFacts([
      'get_weather throws on its first call; the SDK sends the error to the model as a tool error and the model ' +
        'retries.',
      'ai@5 writes no cached or reasoning tokens on generateText spans (only ai.usage.promptTokens/completionTokens) ' +
        'and @ai-sdk/openai@2 keeps them out of providerMetadata, so the generateText steps are served without them; ' +
        'the streamText call has both.',
    ])
  },
}
