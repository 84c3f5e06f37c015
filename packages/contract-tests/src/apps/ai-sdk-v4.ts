/**
 * Vercel AI SDK 4 (`ai@4`, `@ai-sdk/openai@1`) with `experimental_telemetry`, exported by the OTel
 * SDK's OTLP/HTTP protobuf exporter. v4 reports cached and reasoning tokens only in
 * `ai.response.providerMetadata`.
 */
import { createOpenAI } from 'ai-sdk-openai-v1'
import { generateText, jsonSchema, streamText, tool } from 'ai-v4'
import type { FrameworkCapture } from '../capture/framework.js'
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

export const aiSdkV4Capture: FrameworkCapture = {
  framework: 'ai-sdk-v4',
  scenario:
    'ai@4 generateText (maxSteps) with get_weather, then streamText; experimental_telemetry with functionId and ' +
    'metadata',
  mock: 'openai',
  script: aiSdkScript(false),
  packages: [['ai-v4'], ['ai-sdk-openai-v1'], ['@opentelemetry/sdk-trace-node']],
  exporter: { package: '@opentelemetry/exporter-trace-otlp-proto', protocol: 'protobuf' },
  async run({ otlpUrl, modelUrl, tools }) {
    const otel = startOtelPipeline({ otlpUrl, serviceName: 'travel-app' })
    // 'strict' is what OpenAI itself gets: only then does v1 ask for usage on streams.
    const model = createOpenAI({ baseURL: `${modelUrl}/v1`, apiKey: 'mock-key', compatibility: 'strict' }).chat(
      AI_SDK_MODEL,
    )
    const telemetry = { isEnabled: true, functionId: FUNCTION_ID, metadata: telemetryMetadata }
    const getWeather = tool({
      description: 'Current weather for a city',
      parameters: jsonSchema<{ city: string }>({
        type: 'object',
        properties: { city: { type: 'string' } },
        required: ['city'],
      }),
      execute: (args) => tools.call('get_weather', FUNCTION_ID, args, () => weatherResult),
    })
    const result = await generateText({
      model,
      prompt: WEATHER_PROMPT,
      tools: { get_weather: getWeather },
      maxSteps: 5,
      experimental_telemetry: telemetry,
    })
    if (!result.text.includes('Lisbon')) throw new Error(`ai-sdk-v4: unexpected answer ${result.text}`)
    const stream = streamText({ model, prompt: STREAM_PROMPT, experimental_telemetry: telemetry })
    await stream.consumeStream()
    await stream.text
    await otel.finish()
    return aiSdkFacts(['v4 aborts generateText on a tool error, so its tool does not fail here.'])
  },
}
