/**
 * Tool calls from an agent to the MCP server at `MCP_URL`, each inside the SDK's withMcpToolCall
 * (a CLIENT span carrying tool and server names; trace context travels in `params._meta`).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { withMcpToolCall, withMcpToolsList, type McpServerInfo } from '@sightline/sdk'
import { MCP_SERVER_NAME } from './tools.js'

export interface ToolOutcome {
  text: string
  isError: boolean
}

/** `url` is the MCP endpoint itself (`MCP_URL`, e.g. `http://127.0.0.1:7301/mcp`). */
export class ToolClient {
  private client: Promise<Client> | undefined
  private server: McpServerInfo

  constructor(
    private readonly url: string,
    private readonly clientName: string,
  ) {
    this.server = { server: MCP_SERVER_NAME, transport: 'streamable-http', url }
  }

  private connect(): Promise<Client> {
    this.client ??= (async () => {
      const client = new Client({ name: this.clientName, version: '1.0.0' })
      await client.connect(new StreamableHTTPClientTransport(new URL(this.url)))
      const version = client.getServerVersion()?.version
      if (version) this.server = { ...this.server, serverVersion: version }
      // What the server offers, with input schemas, for Sightline's tool registry. Best effort: a server
      // that cannot list (its span records why) still serves calls.
      await withMcpToolsList(this.server, () => client.listTools()).catch(() => undefined)
      return client
    })().catch((err: unknown) => {
      this.client = undefined // retry the handshake on the next call
      throw err
    })
    return this.client
  }

  async call(tool: string, args: Record<string, unknown>): Promise<ToolOutcome> {
    const client = await this.connect()
    const result = await withMcpToolCall({ ...this.server, tool, args }, (params) => client.callTool(params))
    const content = Array.isArray(result.content) ? result.content : []
    const text = content.map((part) => (part.type === 'text' ? part.text : '')).join('\n')
    return { text, isError: result.isError === true }
  }

  async close(): Promise<void> {
    const client = await this.client?.catch(() => undefined)
    await client?.close()
  }
}
