/** Process `tools-mcp`: the MCP tool server. Env: PORT (default 7301). */
import { numberEnv } from '../lib/config.js'
import { runService } from '../lib/service.js'
import { startToolsServer, toolsRelease } from '../mcp/server.js'

await runService({
  serviceName: 'tools-mcp',
  serviceVersion: toolsRelease().version,
  start: (config) => startToolsServer(config, numberEnv('PORT', 7301)),
})
