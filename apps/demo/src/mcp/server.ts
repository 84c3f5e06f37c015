/**
 * The `tools-mcp` process: an MCP server over Streamable HTTP (stateless: one McpServer and
 * transport per request, the SDK's pattern for API-style servers). Every tool runs inside the SDK's
 * withMcpServerTool, which continues the caller's trace from `params._meta.traceparent`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { withMcpServerTool } from '@sightline/sdk'
import { z } from 'zod'
import { sleep, type DemoConfig } from '../lib/config.js'
import { lognormal, rngFor, type Rng } from '../lib/rng.js'
import { listen, type Started } from '../lib/service.js'
import { calculator, dbLookup, MCP_SERVER_NAME, search, TOOL_LATENCY_MS, weather, type ToolResult } from './tools.js'

/**
 * `DEMO_TOOLS_SCHEMA=v2` serves a newer tool set: `weather` takes an optional `units`, as a changed
 * input schema would look in the tool registry (schema drift).
 */
export const toolsRelease = () =>
  process.env.DEMO_TOOLS_SCHEMA === 'v2' ? { version: '1.1.0', v2: true } : { version: '1.0.0', v2: false }

function buildServer(config: DemoConfig, latencyRng: Rng): McpServer {
  const release = toolsRelease()
  const server = new McpServer({ name: MCP_SERVER_NAME, version: release.version })
  const register = <A extends Record<string, unknown>>(
    tool: string,
    description: string,
    inputSchema: z.ZodRawShape,
    run: (args: A) => ToolResult,
  ) => {
    server.registerTool(tool, { description, inputSchema }, (args: Record<string, unknown>, extra) =>
      withMcpServerTool({ server: MCP_SERVER_NAME, tool, args }, extra._meta, async () => {
        await sleep(lognormal(latencyRng, TOOL_LATENCY_MS[tool] ?? 20, 0.5), config.timeScale)
        return run(args as A)
      }),
    )
  }
  const weatherSchema: z.ZodRawShape = release.v2
    ? { city: z.string(), units: z.enum(['c', 'f']).optional() }
    : { city: z.string() }
  register<{ city: string }>('weather', 'Current weather for a city', weatherSchema, weather)
  register<{ query: string }>('search', 'Search the knowledge base', { query: z.string() }, search)
  register<{ expression: string }>('calculator', 'Evaluate arithmetic', { expression: z.string() }, calculator)
  register<{ table: string; id: string }>(
    'db_lookup',
    'Look a record up by id',
    { table: z.string(), id: z.string() },
    dbLookup,
  )
  return server
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString('utf8'))
}

export function startToolsServer(config: DemoConfig, port: number): Promise<Started> {
  // One seeded stream for the process: latencies vary by call order, results never do.
  const latencyRng = rngFor(config.seed, 'tools-mcp')
  return listen((req: IncomingMessage, res: ServerResponse) => {
    if (req.url !== '/mcp' || req.method !== 'POST') {
      res.writeHead(req.url === '/mcp' ? 405 : 404).end()
      return
    }
    void (async () => {
      const server = buildServer(config, latencyRng)
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
      res.on('close', () => {
        void transport.close()
        void server.close()
      })
      try {
        await server.connect(transport)
        await transport.handleRequest(req, res, await readJson(req))
      } catch (err) {
        console.error('tools-mcp: request failed', err)
        if (!res.headersSent) res.writeHead(500).end()
      }
    })()
  }, port)
}
