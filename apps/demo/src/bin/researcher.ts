/** Process `researcher-agent`. Env: PORT (default 7302), MCP_URL. */
import { startAgentServer } from '../a2a/serve.js'
import { createRuntime } from '../agents/runtime.js'
import { research } from '../agents/researcher.js'
import { numberEnv, requireEnv } from '../lib/config.js'
import { runService } from '../lib/service.js'
import { ToolClient } from '../mcp/client.js'

const VERSION = '3.1.2'

await runService({
  serviceName: 'researcher-agent',
  serviceVersion: VERSION,
  start: async (config) => {
    const runtime = createRuntime(config)
    const tools = new ToolClient(requireEnv('MCP_URL'), 'researcher-agent')
    const server = await startAgentServer({
      name: 'researcher-agent',
      description: 'Searches the knowledge base and summarises findings',
      version: VERSION,
      port: numberEnv('PORT', 7302),
      handle: (request) => research(runtime, tools, request),
    })
    return { url: server.url, close: async () => (await server.close(), await tools.close()) }
  },
})
