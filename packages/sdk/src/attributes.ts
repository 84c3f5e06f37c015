/**
 * Keys and values the SDK writes that `@sightline/schema/semconv` does not hold. Everything else comes
 * from there, so the ingest side and the SDK cannot drift apart on a spelling (house style 8.5, SDK).
 * Values are copied, not imported from `@opentelemetry/semantic-conventions/incubating` (house style 7).
 */

// --- keys missing from @sightline/schema/semconv ------------------------------------------------
/** OTel GenAI: free-text description of the agent. */
export const ATTR_GEN_AI_AGENT_DESCRIPTION = 'gen_ai.agent.description'
/** OTel GenAI: string array, one finish reason per choice. */
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons'
/**
 * Logical name of the MCP server. OTel MCP only has `server.address`, which names a host, and stdio
 * servers have none; the tool-calls view needs to tell two servers' `search` tools apart.
 */
export const ATTR_MCP_SERVER_NAME = 'mcp.server.name'
/** The MCP server's own version (its `serverInfo.version`), for the tool registry. */
export const ATTR_MCP_SERVER_VERSION = 'mcp.server.version'
/** How the server is reached: `streamable-http`, `sse` or `stdio` (the MCP registry's transport types). */
export const ATTR_MCP_SERVER_TRANSPORT = 'mcp.server.transport'
/** The server's URL (remote transports) or command (stdio), as the client reaches it. */
export const ATTR_MCP_SERVER_URL = 'mcp.server.url'
/**
 * JSON array of the tools a `tools/list` answered (name, description, inputSchema): input schemas for the tool
 * registry.
 */
export const ATTR_MCP_TOOLS = 'mcp.tools'

// --- values --------------------------------------------------------------------------------------
export const OPERATION_INVOKE_AGENT = 'invoke_agent'
export const OPERATION_CHAT = 'chat'
export const OPERATION_EXECUTE_TOOL = 'execute_tool'
/**
 * Not (yet) a well-known `gen_ai.operation.name` value; custom values are allowed. Sightline's ingest
 * classifies the span through `openinference.span.kind=GUARDRAIL`, which is written alongside.
 */
export const OPERATION_APPLY_GUARDRAIL = 'apply_guardrail'
export const OPENINFERENCE_KIND_GUARDRAIL = 'GUARDRAIL'
export const MCP_METHOD_TOOLS_CALL = 'tools/call'
export const MCP_METHOD_TOOLS_LIST = 'tools/list'
/** OTel MCP: `error.type` of a tool call whose result has `isError: true`. */
export const ERROR_TYPE_TOOL_ERROR = 'tool_error'
/** OTel: `error.type` when nothing better is known. */
export const ERROR_TYPE_OTHER = '_OTHER'
