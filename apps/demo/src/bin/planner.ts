/**
 * Process `planner-agent`. Env: PORT (default 7300), MCP_URL, RESEARCHER_URL, EXECUTOR_URL,
 * EXECUTOR_CANARY_URL (optional), PLANNER_RELEASE=buggy|fixed (`service.version` 2.3.0 or 2.3.1).
 * Any A2A client may send it a task; a `traceparent` header makes its spans part of the caller's trace.
 */
import { AgentClient } from '../a2a/call.js'
import { startAgentServer } from '../a2a/serve.js'
import { plan, PLANNER_VERSIONS, type PlannerRelease } from '../agents/planner.js'
import { createRuntime } from '../agents/runtime.js'
import { numberEnv, requireEnv } from '../lib/config.js'
import { runService } from '../lib/service.js'
import { ToolClient } from '../mcp/client.js'

const release: PlannerRelease = process.env.PLANNER_RELEASE === 'fixed' ? 'fixed' : 'buggy'

await runService({
  serviceName: 'planner-agent',
  serviceVersion: PLANNER_VERSIONS[release],
  start: async (config) => {
    const tools = new ToolClient(requireEnv('MCP_URL'), 'planner-agent')
    const canaryUrl = process.env.EXECUTOR_CANARY_URL
    const deps = {
      runtime: createRuntime(config),
      release,
      tools,
      researcher: new AgentClient(requireEnv('RESEARCHER_URL'), 'researcher-agent'),
      executor: new AgentClient(requireEnv('EXECUTOR_URL'), 'executor-agent'),
      ...(canaryUrl ? { canaryExecutor: new AgentClient(canaryUrl, 'executor-agent') } : {}),
    }
    const server = await startAgentServer({
      name: 'planner-agent',
      description: 'Plans customer-operations requests and delegates to specialists',
      version: PLANNER_VERSIONS[release],
      port: numberEnv('PORT', 7300),
      handle: (request, span) => plan(deps, request, span),
    })
    return { url: server.url, close: async () => (await server.close(), await tools.close()) }
  },
})
