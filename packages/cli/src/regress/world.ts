/**
 * The incident's world for one case: the MCP replay server and one A2A stub per recorded
 * sub-agent, announced to the agent as env vars (`replay.env`: `MCP_URL`, `RESEARCHER_URL`, …).
 * With a base port the URLs are fixed (MCP on `port`, stubs on `port+1…` in env-name order), so an
 * agent started once by hand (`sightline regress serve-world --port`) meets the same URLs every run.
 */
import type { RegressionCase } from '@sightline/schema'
import { startA2aServer, type StartedServer } from './a2a-http.js'
import { startMcpReplay, type ServedCall } from './mcp-replay.js'

export interface World {
  /** env var → URL, e.g. `{ MCP_URL: 'http://127.0.0.1:7400/mcp' }`. */
  env: Record<string, string>
  /** Calls the MCP replay served, in order. */
  mcpCalls: ServedCall[]
  /** Requests each stub agent answered. */
  agentCalls: { agent: string; text: string }[]
  close(): Promise<void>
}

export async function startWorld(rc: RegressionCase, options: { port?: number } = {}): Promise<World> {
  const servers: StartedServer[] = []
  const env: Record<string, string> = {}
  const agentCalls: World['agentCalls'] = []
  let mcpCalls: ServedCall[] = []
  let next = options.port ?? 0
  const take = () => (options.port === undefined ? 0 : next++)
  try {
    const bindings = Object.entries(rc.replay.env).sort(([a], [b]) => a.localeCompare(b))
    const mcpBinding = bindings.filter(([, b]) => b.kind === 'mcp')
    if (mcpBinding.length || rc.recordings.tools.length) {
      const mcp = await startMcpReplay(rc, take())
      servers.push(mcp)
      mcpCalls = mcp.calls
      for (const [name] of mcpBinding.length ? mcpBinding : [['MCP_URL']]) env[name!] = mcp.url
    }
    for (const [name, binding] of bindings) {
      if (binding.kind !== 'a2a') continue
      const recorded = rc.recordings.agents.filter((a) => a.agent === binding.agent)
      let served = 0
      const stub = await startA2aServer({
        name: binding.agent,
        version: 'recorded',
        description: `sightline replay stub for ${binding.agent}`,
        port: take(),
        handle: async ({ text }) => {
          agentCalls.push({ agent: binding.agent, text })
          // Same request text first, else the recordings in order; the last one repeats.
          const exact = recorded.find((r) => r.request && r.request === text)
          const rec = exact ?? recorded[Math.min(served++, recorded.length - 1)]
          if (!rec) return { ok: false, text: `sightline replay: no recorded answer for ${binding.agent}` }
          return { ok: rec.state === 'completed', text: rec.answer }
        },
      })
      servers.push(stub)
      env[name] = stub.url
    }
  } catch (err) {
    await Promise.all(servers.map((s) => s.close()))
    throw err
  }
  return { env, mcpCalls, agentCalls, close: async () => void (await Promise.all(servers.map((s) => s.close()))) }
}
