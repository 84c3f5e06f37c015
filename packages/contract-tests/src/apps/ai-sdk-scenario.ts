/**
 * The Vercel AI SDK scenario shared by the v4, v5, v6 and OpenInference captures. Run 1:
 * `generateText` with `get_weather`, multi-step (maxSteps / stopWhen); from v5 on the tool throws
 * once (v5+ hand tool errors back to the model; v4 aborts the whole call on a tool error, so v4's
 * tool does not fail). Run 2: one `streamText` call. Both runs carry the telemetry functionId and
 * session/user metadata. Models are OpenAI chat completions (`openai.chat`) with cached and
 * reasoning tokens reported in `*_tokens_details`.
 */
import type { RunFacts } from '../capture/framework.js'
import { usage, type ScriptedReply } from '../mock/script.js'

export const AI_SDK_MODEL = 'o4-mini'
export const FUNCTION_ID = 'travel-agent'
const SESSION_ID = 'ai-session-9'
const USER_ID = 'user-5'
export const telemetryMetadata = { sessionId: SESSION_ID, userId: USER_ID }
const weatherArgs = { city: 'Lisbon' }
export const weatherResult = { city: 'Lisbon', tempC: 21, conditions: 'sunny' }
export const WEATHER_PROMPT = 'What is the weather in Lisbon?'
export const STREAM_PROMPT = 'Suggest one thing to do in Lisbon tonight.'
const STREAM_TEXT = 'Listen to fado in Alfama.'

const call = (id: string) => [{ id, name: 'get_weather', args: weatherArgs }]

/**
 * The model's replies. `toolFailsOnce` adds the retry step that follows the failed call.
 * `detailsOnGenerate: false` serves the generateText steps without cached or reasoning tokens: AI
 * SDK 5 writes neither on its generateText spans (nor in providerMetadata), so no reader of its
 * spans could know them; its streamText span does carry them, so the streamed call keeps them.
 */
export function aiSdkScript(toolFailsOnce: boolean, detailsOnGenerate = true): ScriptedReply[] {
  const details = (cached: number, reasoning: number) =>
    (detailsOnGenerate ? [cached, reasoning] : [0, 0]) as [number, number]
  const agent = FUNCTION_ID
  return [
    { model: AI_SDK_MODEL, agent, toolCalls: call('call_weather_1'), usage: usage(120, 80, ...details(0, 64)) },
    ...(toolFailsOnce
      ? [{ model: AI_SDK_MODEL, agent, toolCalls: call('call_weather_2'), usage: usage(168, 72, ...details(64, 56)) }]
      : []),
    { model: AI_SDK_MODEL, agent, text: 'It is 21°C and sunny in Lisbon.', usage: usage(230, 46, ...details(128, 32)) },
    { model: AI_SDK_MODEL, agent, text: STREAM_TEXT, usage: usage(96, 40, 32, 24) },
  ]
}

export function aiSdkFacts(notes: string[]): RunFacts {
  return {
    runs: 2,
    agents: [FUNCTION_ID],
    handoffs: [],
    sessionId: SESSION_ID,
    userId: USER_ID,
    notes: [
      'Two runs: generateText with a tool loop, then one streamText call. The agent is the telemetry functionId; ' +
        'session and user ids are experimental_telemetry.metadata.sessionId / userId (the AI SDK has no session ' +
        'concept of its own).',
      ...notes,
    ],
  }
}
