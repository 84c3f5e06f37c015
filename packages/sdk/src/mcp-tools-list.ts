/**
 * Captures what an MCP server's `tools/list` answered: each tool's name, description and input schema
 * go on a `tools/list` CLIENT span as `mcp.tools`, which Sightline's tool registry reads (and compares
 * over time: a changed input schema or a tool that is no longer listed is drift). Tool definitions
 * are not user content, so they are recorded whatever `captureContent` says.
 */
import { SpanKind, type Span } from '@opentelemetry/api'
import { ATTR_MCP_METHOD_NAME } from '@sightline/schema/semconv'
import { ATTR_MCP_TOOLS, MCP_METHOD_TOOLS_LIST } from './attributes.js'
import { mcpServerAttributes, type McpServerInfo } from './mcp.js'
import { definedAttributes, runInSpan } from './span-runner.js'

/** A tool as `tools/list` describes it (the fields of MCP's `Tool` the registry keeps). */
interface ListedTool {
  name: string
  description?: string
  inputSchema?: unknown
}

function listedTools(result: unknown): ListedTool[] {
  const tools =
    typeof result === 'object' && result !== null && 'tools' in result
      ? (result as { tools: unknown }).tools
      : undefined
  if (!Array.isArray(tools)) return []
  return tools
    .filter((t): t is ListedTool => typeof t === 'object' && t !== null && typeof (t as ListedTool).name === 'string')
    .map((t) => ({
      name: t.name,
      ...(t.description !== undefined ? { description: t.description } : {}),
      inputSchema: t.inputSchema ?? {},
    }))
}

/**
 * Runs an MCP `tools/list` inside a `tools/list` CLIENT span and records the listed tools.
 * `fn` returns the `ListToolsResult` (a page of it, when the server paginates: call once per page).
 *
 * @example
 * ```ts
 * const { tools } = await withMcpToolsList({ server: 'docs', serverVersion: '1.2.0', transport: 'streamable-http', url
 * }, () => client.listTools())
 * ```
 */
export function withMcpToolsList<T>(info: McpServerInfo, fn: (span: Span) => T | Promise<T>): Promise<T> {
  const attributes = definedAttributes({ [ATTR_MCP_METHOD_NAME]: MCP_METHOD_TOOLS_LIST, ...mcpServerAttributes(info) })
  return runInSpan(
    { name: `${MCP_METHOD_TOOLS_LIST} ${info.server}`, kind: SpanKind.CLIENT, attributes },
    fn,
    (span, result) => span.setAttribute(ATTR_MCP_TOOLS, JSON.stringify(listedTools(result))),
  )
}
