/**
 * Process `executor-agent`. Env: PORT (default 7303), MCP_URL, EXECUTOR_RELEASE=stable|canary
 * (`service.version` 1.4.0 or 1.5.0-canary).
 */
import { startAgentServer } from '../a2a/serve.js'
import { execute, EXECUTOR_VERSIONS, type ExecutorRelease } from '../agents/executor.js'
import { createRuntime } from '../agents/runtime.js'
import { numberEnv, requireEnv } from '../lib/config.js'
import { runService } from '../lib/service.js'
import { ToolClient } from '../mcp/client.js'

const release: ExecutorRelease = process.env.EXECUTOR_RELEASE === 'canary' ? 'canary' : 'stable'

await runService({
  serviceName: 'executor-agent',
  serviceVersion: EXECUTOR_VERSIONS[release],
  start: async (config) => {
    const runtime = createRuntime(config)
    const tools = new ToolClient(requireEnv('MCP_URL'), 'executor-agent')
    const server = await startAgentServer({
      name: 'executor-agent',
      description: 'Looks orders up and computes amounts',
      version: EXECUTOR_VERSIONS[release],
      port: numberEnv('PORT', 7303),
      handle: (request) => execute(runtime, tools, release, request),
    })
    return { url: server.url, close: async () => (await server.close(), await tools.close()) }
  },
})
