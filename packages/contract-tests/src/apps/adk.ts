/**
 * Google ADK for TypeScript: a trip planner (root agent) with two function tools and a researcher
 * sub-agent used as a tool (AgentTool), against the Gemini API mock. `lookup_flight` throws on its
 * first call; ADK hands the error back to the model as a function response and the model retries.
 * Telemetry goes through ADK's own setup (`maybeSetOtelProviders` with
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), which exports OTLP/HTTP JSON: this is the JSON fixture.
 */
import { AgentTool, FunctionTool, InMemoryRunner, LlmAgent, isAgentTool, maybeSetOtelProviders } from '@google/adk'
import { trace } from '@opentelemetry/api'
import { resourceFromAttributes } from '@opentelemetry/resources'
import { z } from 'zod'
import { usage, type ScriptedReply } from '../mock/script.js'
import type { FrameworkCapture } from '../capture/framework.js'
import { failOnce } from '../capture/recorder.js'

const FLASH = 'gemini-2.5-flash'
const LITE = 'gemini-2.5-flash-lite'
const SESSION_ID = 'adk-session-7'
const USER_ID = 'user-42'
const flight = { from: 'LHR', to: 'CDG', date: '2026-12-06' }
const research = { request: 'Suggest three sights near the Louvre for a six-hour visit.' }
const call = (name: string, args: Record<string, unknown>) => [{ id: '', name, args }]

const script: ScriptedReply[] = [
  {
    model: FLASH,
    agent: 'trip_planner',
    toolCalls: call('get_weather', { city: 'Paris' }),
    usage: usage(412, 38, 0, 22),
  },
  { model: FLASH, agent: 'trip_planner', toolCalls: call('lookup_flight', flight), usage: usage(470, 20, 256) },
  { model: FLASH, agent: 'trip_planner', toolCalls: call('lookup_flight', flight), usage: usage(530, 41, 256, 21) },
  { model: FLASH, agent: 'trip_planner', toolCalls: call('researcher', research), usage: usage(610, 25, 512) },
  {
    model: LITE,
    agent: 'researcher',
    text: "Musée de l'Orangerie, the Tuileries Garden and the Palais-Royal.",
    usage: usage(95, 17),
  },
  {
    model: FLASH,
    agent: 'trip_planner',
    text:
      'Take AF1081 at 07:15 (142 EUR); Paris will be 18°C and sunny. Visit the Orangerie, ' +
      'the Tuileries and the Palais-Royal.',
    usage: usage(702, 88, 512, 40),
  },
]

export const adkCapture: FrameworkCapture = {
  framework: 'adk',
  scenario:
    'root agent trip_planner with get_weather, lookup_flight (fails once) ' +
    'and the researcher sub-agent as an AgentTool; one session',
  mock: 'gemini',
  script,
  packages: [['@google/adk'], ['@google/genai', '@google/adk'], ['@opentelemetry/sdk-trace-node', '@google/adk']],
  exporter: { package: '@opentelemetry/exporter-trace-otlp-http', resolvedFrom: '@google/adk', protocol: 'json' },
  async run({ otlpUrl, modelUrl, tools }) {
    process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = `${otlpUrl}/v1/traces`
    process.env.GOOGLE_GEMINI_BASE_URL = modelUrl
    process.env.GOOGLE_GENAI_API_KEY = 'mock-key'
    maybeSetOtelProviders([], resourceFromAttributes({ 'service.name': 'trip-planner', 'service.version': '0.3.0' }))

    const flightFails = failOnce()
    const getWeather = new FunctionTool({
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: z.object({ city: z.string() }),
      execute: (args) =>
        tools.call('get_weather', 'trip_planner', args, () => ({ city: args.city, tempC: 18, conditions: 'sunny' })),
    })
    const lookupFlight = new FunctionTool({
      name: 'lookup_flight',
      description: 'Find a flight between two airports on a date',
      parameters: z.object({ from: z.string(), to: z.string(), date: z.string() }),
      execute: (args) =>
        tools.call('lookup_flight', 'trip_planner', args, () => {
          flightFails('lookup_flight', 'flight search timed out')
          return { flight: 'AF1081', departs: '07:15', priceEur: 142 }
        }),
    })
    const researcher = new LlmAgent({
      name: 'researcher',
      model: LITE,
      description: 'Finds sights and practical facts about a destination.',
      instruction: 'Answer briefly with concrete places.',
    })
    const root = new LlmAgent({
      name: 'trip_planner',
      model: FLASH,
      description: 'Plans day trips.',
      instruction: 'Plan the trip with your tools. Ask the researcher for sights.',
      tools: [getWeather, lookupFlight, new AgentTool({ agent: researcher })],
      // The AgentTool runs inside ADK; what it returned is recorded here, where ADK hands it back.
      afterToolCallback: ({ tool, args, response }) => {
        if (isAgentTool(tool))
          tools.add({ name: tool.name, agent: 'trip_planner', arguments: args, result: response, failed: false })
        return undefined
      },
    })

    const runner = new InMemoryRunner({ agent: root, appName: 'trip-planner' })
    await runner.sessionService.createSession({ appName: 'trip-planner', userId: USER_ID, sessionId: SESSION_ID })
    for await (const event of runner.runAsync({
      userId: USER_ID,
      sessionId: SESSION_ID,
      newMessage: { role: 'user', parts: [{ text: 'Plan a day trip from London to Paris tomorrow.' }] },
    })) {
      if (event.errorMessage) throw new Error(`adk: ${event.errorMessage}`)
    }
    const provider = trace.getTracerProvider() as {
      getDelegate?: () => { forceFlush?: () => Promise<void>; shutdown?: () => Promise<void> }
    }
    const delegate = provider.getDelegate?.()
    if (!delegate?.forceFlush) throw new Error('adk: maybeSetOtelProviders registered no tracer provider')
    await delegate.forceFlush()
    await delegate.shutdown?.()
    return {
      runs: 1,
      agents: ['trip_planner', 'researcher'],
      handoffs: [{ from: 'trip_planner', to: 'researcher', mode: 'agent-as-tool' }],
      sessionId: SESSION_ID,
      userId: USER_ID,
      notes: [
        'Gemini usage: promptTokenCount includes cachedContentTokenCount; ' +
          'candidatesTokenCount excludes thoughtsTokenCount. Ground-truth outputTokens = candidates + thoughts (both ' +
          'billed as output).',
        'lookup_flight throws on its first call; ADK returns {"error": "Error in tool \'lookup_flight\': ' +
          'flight search timed out"} to the model as the function response.',
        "The AgentTool call (researcher) is recorded from ADK's afterToolCallback; " +
          "its result is the sub-agent's final text.",
      ],
    }
  },
}
