/**
 * The MCP replay server: a real McpServer over Streamable HTTP on loopback that answers every
 * `tools/call` from the case's recordings. A call matches a recording by tool name and arguments
 * (canonical JSON, after dropping `replay.ignorePaths`); several recordings of one call are served
 * in order and the last repeats. Anything else gets an `isError` "unrecorded call" result.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { type RegressionCase } from '@sightline/schema'
import { canonicalJson, withoutPaths } from '@sightline/core'
import { z } from 'zod'
import type { StartedServer } from './a2a-http.js'

const MCP_PATH = '/mcp'

export interface ServedCall {
  tool: string
  args: Record<string, unknown>
  matched: boolean
}

export interface McpReplay extends StartedServer {
  /** Every call served, in order (the replay log). */
  calls: ServedCall[]
}

export function startMcpReplay(rc: RegressionCase, port = 0): Promise<McpReplay> {
  const keyOf = (tool: string, args: unknown) =>
    `${tool} ${canonicalJson(JSON.stringify(withoutPaths(args ?? {}, rc.replay.ignorePaths)))}`
  const queues = new Map<string, RegressionCase['recordings']['tools']>()
  for (const rec of rc.recordings.tools) {
    const key = keyOf(rec.tool, rec.args)
    queues.set(key, [...(queues.get(key) ?? []), rec])
  }
  const served = new Map<string, number>()
  const calls: ServedCall[] = []
  const tools = [...new Set(rc.recordings.tools.map((r) => r.tool))]

  const answer = (tool: string, args: Record<string, unknown>): CallToolResult => {
    const key = keyOf(tool, args)
    const queue = queues.get(key)
    calls.push({ tool, args, matched: queue !== undefined })
    if (!queue) {
      const recorded = rc.recordings.tools.filter((r) => r.tool === tool).map((r) => JSON.stringify(r.args))
      return {
        isError: true,
        content: [
          {
            type: 'text',
            text:
              `sightline replay: unrecorded call ${tool}(${JSON.stringify(args)}); ` +
              `recorded arguments for ${tool}: ${recorded.join(', ') || 'none'}`,
          },
        ],
      }
    }
    const index = served.get(key) ?? 0
    served.set(key, index + 1)
    const rec = queue[Math.min(index, queue.length - 1)]!
    return { ...rec.result, content: rec.result.content } as CallToolResult
  }

  const build = () => {
    const server = new McpServer({ name: 'sightline-replay', version: '1.0.0' })
    for (const tool of tools) {
      // A loose object: arguments reach the handler untouched, whatever their shape.
      server.registerTool(tool, { description: `recorded ${tool}`, inputSchema: z.looseObject({}) }, (args) =>
        answer(tool, args as Record<string, unknown>),
      )
    }
    return server
  }

  const httpServer = http.createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] !== MCP_PATH || req.method !== 'POST') {
      res.writeHead(req.url === MCP_PATH ? 405 : 404).end()
      return
    }
    void (async () => {
      // Stateless: one McpServer and transport per request (the SDK's pattern for API-style servers).
      const server = build()
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
      res.on('close', () => {
        void transport.close()
        void server.close()
      })
      try {
        const chunks: Buffer[] = []
        for await (const chunk of req) chunks.push(chunk as Buffer)
        await server.connect(transport)
        await transport.handleRequest(
          req,
          res,
          chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined,
        )
      } catch {
        if (!res.headersSent) res.writeHead(500).end()
      }
    })()
  })
  return new Promise((resolve, reject) => {
    httpServer.once('error', reject)
    httpServer.listen(port, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}${MCP_PATH}`
      resolve({
        url,
        calls,
        close: () =>
          new Promise((done) => {
            httpServer.closeAllConnections()
            httpServer.close(() => done())
          }),
      })
    })
  })
}
