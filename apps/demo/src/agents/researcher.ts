/**
 * The researcher agent (`researcher-agent`): searches the knowledge base, checks the weather when
 * the question names a city, and summarises with a small model.
 */
import { withAgent } from '@sightline/sdk'
import type { TaskRequest } from '../a2a/messages.js'
import type { ToolClient } from '../mcp/client.js'
import { chat } from '../model/scripted.js'
import { RESEARCHER_SYSTEM } from './prompts.js'
import type { AgentRuntime } from './runtime.js'

const CITY = /\b(Oslo|Lisbon|Tokyo|New York|Nairobi)\b/

export async function research(runtime: AgentRuntime, tools: ToolClient, request: TaskRequest): Promise<string> {
  return withAgent('researcher', async () => {
    const rng = runtime.rng(request, 'researcher')
    const { timeScale } = runtime.config
    const query = request.text.replace(/order ord-\d+/g, 'order').slice(0, 80)
    await chat({
      model: 'gpt-4o-mini',
      system: RESEARCHER_SYSTEM,
      user: request.text,
      completion: `search({"query": "${query}"})`,
      finishReason: 'tool_calls',
      rng,
      timeScale,
    })
    const found = await tools.call('search', { query })
    const city = CITY.exec(request.text)?.[1]
    const weather = city ? await tools.call('weather', { city }) : undefined
    const hits = (JSON.parse(found.text) as { hits: Array<{ id: string; title: string; body: string }> }).hits
    const summary =
      hits.map((hit) => `${hit.title} (${hit.id}): ${hit.body}`).join(' ') +
      (weather ? ` Weather: ${weather.text}.` : '')
    return chat({
      model: 'gpt-4o-mini',
      system: RESEARCHER_SYSTEM,
      user: `Question: ${request.text}\nSources: ${found.text}${weather ? `\nWeather: ${weather.text}` : ''}`,
      completion: `Findings: ${summary}`,
      rng,
      timeScale,
    })
  })
}
