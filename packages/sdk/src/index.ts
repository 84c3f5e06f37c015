/**
 * @sightline/sdk: instrument AI agents with the OpenTelemetry GenAI conventions and send the traces
 * to Sightline. Only `@opentelemetry/api` is a peer dependency; everything here is safe to import in
 * an agent process.
 */
export { registerSightline, type SightlineHandle, type SightlineOptions } from './register.js'
export { withAgent, withGuardrail, type AgentOptions } from './agent.js'
export {
  withLlmCall,
  type LlmCallHandle,
  type LlmCallOptions,
  type LlmResponse,
  type LlmUsage,
} from './llm.js'
export type { ChatMessage, LlmInput, LlmOutput } from './messages.js'
export { withTool, type ToolOptions } from './tool.js'
export {
  createScoreClient,
  currentTraceId,
  ScoreClient,
  scoreCurrentSpan,
  ScoreError,
  type FeedbackOptions,
  type ScoreClientOptions,
  type ScoreOptions,
  type ScoreResult,
  type ScoreValue,
} from './score.js'
export { composeRedactors, redactionRules, type Redactor } from './redaction.js'
export type { HeaderSource, TraceHeaders } from './propagation.js'
export {
  a2aTraceHeaders,
  continueA2aTrace,
  tracedFetch,
  withA2aCall,
  withA2aServer,
  type A2aCallHandle,
  type A2aCallOptions,
  type A2aServerOptions,
} from './a2a.js'
export {
  continueMcpTrace,
  injectMcpMeta,
  withMcpServerTool,
  withMcpToolCall,
  type McpToolCallOptions,
  type McpToolCallParams,
} from './mcp.js'
export { withMcpToolsList } from './mcp-tools-list.js'
export type { McpServerInfo } from './mcp.js'
export { registerAgentCard, AgentCardError, type AgentCardOptions, type AgentCardRegistration } from './agent-card.js'
