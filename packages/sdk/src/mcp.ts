/**
 * MCP tool-call tracing. MCP has no HTTP-level hook that survives every transport (stdio, streamable
 * HTTP), so trace context travels in the request's `params._meta.traceparent`/`tracestate`, as the OTel
 * MCP conventions recommend. Client and server spans are both named `tools/call {tool}`.
 */
import { context, SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api'
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_CALL_RESULT,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_MCP_METHOD_NAME,
} from '@sightline/schema/semconv'
import {
  ATTR_MCP_SERVER_NAME,
  ATTR_MCP_SERVER_TRANSPORT,
  ATTR_MCP_SERVER_URL,
  ATTR_MCP_SERVER_VERSION,
  ERROR_TYPE_TOOL_ERROR,
  MCP_METHOD_TOOLS_CALL,
  OPERATION_EXECUTE_TOOL,
} from './attributes.js'
import { setContent } from './content.js'
import { extractContext, traceHeadersOf, type TraceHeaders } from './propagation.js'
import { definedAttributes, runInSpan } from './span-runner.js'

/**
 * Returns a copy of MCP request `params` whose `_meta` carries the active trace context (other `_meta`
 * keys are kept).
 *
 * @example
 * ```ts
 * await client.callTool(injectMcpMeta({ name: 'search', arguments: { q: 'otel' } }))
 * ```
 */
export function injectMcpMeta<P extends { _meta?: object }>(params: P): P & { _meta: TraceHeaders } {
  return { ...params, _meta: { ...params._meta, ...traceHeadersOf() } }
}

/**
 * The MCP server a call goes to, as the tool registry shows it. Only `server` is required; the rest
 * fills the registry's `server.json` (version, `remotes` or `packages` transport).
 *
 * @example
 * ```ts
 * const docs: McpServerInfo = { server: 'docs', serverVersion: '1.2.0', transport: 'streamable-http', url:
 * 'https://docs.example/mcp' }
 * ```
 */
export interface McpServerInfo {
  /** Logical name of the MCP server (`github`, `filesystem`). */
  server: string
  /** The server's `serverInfo.version`. */
  serverVersion?: string
  transport?: 'streamable-http' | 'sse' | 'stdio'
  /** Its URL (remote transports) or command (stdio). */
  url?: string
}

/** The server's identity as span attributes (read by the tool registry). */
export function mcpServerAttributes(info: McpServerInfo) {
  return {
    [ATTR_MCP_SERVER_NAME]: info.server,
    [ATTR_MCP_SERVER_VERSION]: info.serverVersion,
    [ATTR_MCP_SERVER_TRANSPORT]: info.transport,
    [ATTR_MCP_SERVER_URL]: info.url,
  }
}

/**
 * An MCP tool call.
 *
 * @example
 * ```ts
 * const options: McpToolCallOptions = { server: 'github', tool: 'create_issue', args: { title: 'Bug' } }
 * ```
 */
export interface McpToolCallOptions extends McpServerInfo {
  tool: string
  args?: Record<string, unknown>
  /** The model's tool-call id, when the call answers an LLM tool request. */
  callId?: string
  /** Overrides registerSightline's `captureContent` for this call. */
  captureContent?: boolean
}

/**
 * `tools/call` params ready for `Client.callTool()`, trace context included.
 *
 * @example
 * ```ts
 * await withMcpToolCall({ server: 'docs', tool: 'search', args }, (params) => client.callTool(params))
 * ```
 */
export interface McpToolCallParams {
  name: string
  arguments?: Record<string, unknown>
  _meta: TraceHeaders
}

function toolAttributes(options: McpToolCallOptions) {
  return definedAttributes({
    [ATTR_MCP_METHOD_NAME]: MCP_METHOD_TOOLS_CALL,
    [ATTR_GEN_AI_OPERATION_NAME]: OPERATION_EXECUTE_TOOL,
    [ATTR_GEN_AI_TOOL_NAME]: options.tool,
    [ATTR_GEN_AI_TOOL_CALL_ID]: options.callId,
    ...mcpServerAttributes(options),
  })
}

/** MCP reports tool failures as a result with `isError: true`, not as a JSON-RPC error. */
function recordToolResult(span: Span, result: unknown, captureContent: boolean | undefined): void {
  setContent(span, ATTR_GEN_AI_TOOL_CALL_RESULT, result, captureContent)
  if (typeof result === 'object' && result !== null && 'isError' in result && result.isError) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'tool returned isError' })
    span.setAttribute(ATTR_ERROR_TYPE, ERROR_TYPE_TOOL_ERROR)
  }
}

/**
 * Runs an MCP `tools/call` inside a CLIENT span and hands `fn` the params to send, with `_meta`
 * already carrying that span's context. A result with `isError: true` marks the span as failed
 * (`error.type=tool_error`) without throwing.
 *
 * @example
 * ```ts
 * const result = await withMcpToolCall({ server: 'docs', tool: 'search', args: { q: 'otel' } }, (params) =>
 *   client.callTool(params),
 * )
 * ```
 */
export function withMcpToolCall<T>(
  options: McpToolCallOptions,
  fn: (params: McpToolCallParams, span: Span) => T | Promise<T>,
): Promise<T> {
  const name = `${MCP_METHOD_TOOLS_CALL} ${options.tool}`
  return runInSpan(
    { name, kind: SpanKind.CLIENT, attributes: toolAttributes(options) },
    (span) => {
      setContent(span, ATTR_GEN_AI_TOOL_CALL_ARGUMENTS, options.args, options.captureContent)
      const params: McpToolCallParams = { name: options.tool, _meta: traceHeadersOf() }
      if (options.args !== undefined) params.arguments = options.args
      return fn(params, span)
    },
    (span, result) => recordToolResult(span, result, options.captureContent),
  )
}

/**
 * Runs `fn` in the trace context found in an MCP request's `_meta`, without starting a span.
 *
 * @example
 * ```ts
 * server.registerTool('search', { description: 'Search docs' }, (extra) =>
 *   continueMcpTrace(extra._meta, () => search()),
 * )
 * ```
 */
export function continueMcpTrace<T>(meta: Record<string, unknown> | undefined, fn: () => T): T {
  return context.with(extractContext(meta), fn)
}

/**
 * Runs an MCP tool handler inside a `tools/call {tool}` SERVER span, child of the client's span found
 * in `meta` (the request's `_meta`: `extra._meta` in `McpServer` tool callbacks,
 * `request.params._meta` in a low-level `Server` handler). `fn`'s return value is the tool result.
 *
 * @example
 * ```ts
 * server.registerTool('search', { inputSchema: { q: z.string() } }, (args, extra) =>
 *   withMcpServerTool({ server: 'docs', tool: 'search', args }, extra._meta, () => search(args.q)),
 * )
 * ```
 */
export function withMcpServerTool<T>(
  options: McpToolCallOptions,
  meta: Record<string, unknown> | undefined,
  fn: (span: Span) => T | Promise<T>,
): Promise<T> {
  const name = `${MCP_METHOD_TOOLS_CALL} ${options.tool}`
  const parent = extractContext(meta)
  return runInSpan(
    { name, kind: SpanKind.SERVER, attributes: toolAttributes(options), parent },
    (span) => {
      setContent(span, ATTR_GEN_AI_TOOL_CALL_ARGUMENTS, options.args, options.captureContent)
      return fn(span)
    },
    (span, result) => recordToolResult(span, result, options.captureContent),
  )
}
