/**
 * A small A2A agent for the regression-runner tests, instrumented with @sightline/sdk. It asks a
 * researcher sub-agent (A2A, RESEARCHER_URL) for context, then calls the `weather` tool over MCP
 * (MCP_URL). AGENT_MODE=buggy (release 1.0.0) asks again with the same arguments while the tool
 * says "not found" and fails after 6 tries; AGENT_MODE=fixed (1.0.1) stops after 2 and answers.
 * Env: PORT, MCP_URL, RESEARCHER_URL, AGENT_MODE, SIGHTLINE_URL, SIGHTLINE_API_KEY.
 */
import { ClientFactory, ClientFactoryOptions, JsonRpcTransportFactory } from '@a2a-js/sdk/client'
import { Role, TaskState } from '@a2a-js/sdk'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import {
  registerSightline,
  tracedFetch,
  withA2aCall,
  withA2aServer,
  withAgent,
  withLlmCall,
  withMcpToolCall,
  type HeaderSource,
} from '@sightline/sdk'
import { startA2aServer, textMessage, textOf } from '../../src/regress/a2a-http.js'

const env = process.env
const mode = env.AGENT_MODE === 'fixed' ? 'fixed' : 'buggy'
const release = mode === 'fixed' ? '1.0.1' : '1.0.0'
const sightline = registerSightline({
  endpoint: env.SIGHTLINE_URL,
  apiKey: env.SIGHTLINE_API_KEY,
  serviceName: 'weather-agent',
  serviceVersion: release,
  environment: 'test',
  captureContent: true,
  batch: { scheduledDelayMillis: 50 },
})

let mcp: Promise<Client> | undefined
const tools = () =>
  (mcp ??= (async () => {
    const client = new Client({ name: 'weather-agent', version: release })
    await client.connect(new StreamableHTTPClientTransport(new URL(env.MCP_URL!)))
    return client
  })())

async function askResearcher(text: string): Promise<string> {
  if (!env.RESEARCHER_URL) return ''
  return withA2aCall({ targetAgent: 'researcher-agent', method: 'SendMessage' }, async (call) => {
    const client = await new ClientFactory(
      ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
        transports: [new JsonRpcTransportFactory({ fetchImpl: tracedFetch() })],
      }),
    ).createFromUrl(env.RESEARCHER_URL!)
    const result = await client.sendMessage({
      tenant: '',
      message: textMessage(text, Role.ROLE_USER),
      configuration: undefined,
      metadata: undefined,
    })
    const answer = 'status' in result ? textOf(result.status?.message) : textOf(result)
    call.span.setAttribute(
      'gen_ai.input.messages',
      JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: text }] }]),
    )
    call.span.setAttribute(
      'gen_ai.output.messages',
      JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: answer }] }]),
    )
    if ('status' in result && result.status?.state !== TaskState.TASK_STATE_COMPLETED)
      throw new Error(`researcher failed: ${answer}`)
    return answer
  })
}

async function think(prompt: string, completion: string): Promise<void> {
  await withLlmCall({ model: 'gpt-4o-mini', provider: 'openai', input: [{ role: 'user', content: prompt }] }, (call) =>
    call.record({
      usage: { inputTokens: 120, outputTokens: 12 },
      output: [{ role: 'assistant', content: completion }],
    }),
  )
}

async function answer(text: string): Promise<string> {
  const city = /weather in ([A-Za-z ]+?)[?.!]?$/i.exec(text)?.[1] ?? text
  await askResearcher(`What is ${city}?`)
  const limit = mode === 'buggy' ? 6 : 2
  for (let attempt = 1; attempt <= limit; attempt++) {
    await think(text, `weather({"city":"${city}"})`)
    const client = await tools()
    const result = await withMcpToolCall(
      { server: 'weather', tool: 'weather', args: { city }, captureContent: true },
      (params) => client.callTool(params),
    )
    const said = (Array.isArray(result.content) ? result.content : [])
      .map((c) => (c.type === 'text' ? c.text : ''))
      .join(' ')
    if (!result.isError && !said.includes('not found')) return `Weather in ${city}: ${said}`
  }
  if (mode === 'buggy') throw new Error(`exceeded max steps (${limit}) without an answer`)
  return `I couldn't find weather data for "${city}": the weather service doesn't know this place.`
}

const server = await startA2aServer({
  name: 'weather-agent',
  version: release,
  port: Number(env.PORT ?? 0),
  handle: async ({ text, headers, taskId, contextId }) => {
    try {
      const out = await withA2aServer(
        { agentName: 'weather-agent', method: 'SendMessage', taskId, contextId },
        headers as HeaderSource,
        async (span) => {
          span.setAttribute(
            'gen_ai.input.messages',
            JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: text }] }]),
          )
          const reply = await withAgent('weather-agent', () => answer(text))
          span.setAttribute(
            'gen_ai.output.messages',
            JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: reply }] }]),
          )
          return reply
        },
      )
      return { ok: true, text: out }
    } catch (err) {
      return { ok: false, text: (err as Error).message }
    } finally {
      await sightline.forceFlush()
    }
  },
})
process.stdout.write(`weather-agent ${release} on ${server.url}\n`)
const stop = async () => {
  await server.close()
  await sightline.shutdown()
  process.exit(0)
}
process.once('SIGTERM', () => void stop())
process.once('SIGINT', () => void stop())
