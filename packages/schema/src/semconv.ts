/**
 * Attribute keys of the agent-telemetry conventions Sightline reads, copied rather than imported so
 * that this module stays dependency-free: the agent SDK ships it to user processes (house style 8.2).
 *
 * Sources: OTel GenAI registry (semantic-conventions-genai), OpenInference, @traceloop/ai-semantic-conventions
 * 0.27, Vercel AI SDK v4-v6 telemetry, @langfuse/core 5.x, Mastra, OTel MCP, A2A. See
 * docs/design/semconv-map.md for which concept each key carries.
 */

// --- OTel resource / general -------------------------------------------------------------------
export const ATTR_SERVICE_NAME = 'service.name'
export const ATTR_SERVICE_VERSION = 'service.version'
/** Current key; `deployment.environment` is the deprecated spelling still emitted by many SDKs. */
export const ATTR_DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name'
export const ATTR_DEPLOYMENT_ENVIRONMENT = 'deployment.environment'
export const ATTR_SESSION_ID = 'session.id'
export const ATTR_USER_ID = 'user.id'
export const ATTR_ERROR_TYPE = 'error.type'
export const ATTR_EXCEPTION_TYPE = 'exception.type'
export const ATTR_EXCEPTION_MESSAGE = 'exception.message'
/** Name of the span event that records an exception. */
export const EVENT_EXCEPTION = 'exception'

// --- OTel GenAI ---------------------------------------------------------------------------------
export const ATTR_GEN_AI_OPERATION_NAME = 'gen_ai.operation.name'
export const ATTR_GEN_AI_PROVIDER_NAME = 'gen_ai.provider.name'
/** Deprecated predecessor of `gen_ai.provider.name`. */
export const ATTR_GEN_AI_SYSTEM = 'gen_ai.system'
export const ATTR_GEN_AI_REQUEST_MODEL = 'gen_ai.request.model'
export const ATTR_GEN_AI_RESPONSE_MODEL = 'gen_ai.response.model'
export const ATTR_GEN_AI_AGENT_NAME = 'gen_ai.agent.name'
export const ATTR_GEN_AI_AGENT_ID = 'gen_ai.agent.id'
export const ATTR_GEN_AI_CONVERSATION_ID = 'gen_ai.conversation.id'
export const ATTR_GEN_AI_WORKFLOW_NAME = 'gen_ai.workflow.name'
/** Includes cached input tokens. */
export const ATTR_GEN_AI_USAGE_INPUT_TOKENS = 'gen_ai.usage.input_tokens'
export const ATTR_GEN_AI_USAGE_OUTPUT_TOKENS = 'gen_ai.usage.output_tokens'
/** Deprecated spelling of input tokens. */
export const ATTR_GEN_AI_USAGE_PROMPT_TOKENS = 'gen_ai.usage.prompt_tokens'
/** Deprecated spelling of output tokens. */
export const ATTR_GEN_AI_USAGE_COMPLETION_TOKENS = 'gen_ai.usage.completion_tokens'
export const ATTR_GEN_AI_USAGE_TOTAL_TOKENS = 'gen_ai.usage.total_tokens'
export const ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS = 'gen_ai.usage.cache_read.input_tokens'
export const ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS = 'gen_ai.usage.cache_creation.input_tokens'
export const ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS = 'gen_ai.usage.reasoning.output_tokens'
/** OpenLLMetry / Anthropic-style cache keys. */
export const ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS_LEGACY = 'gen_ai.usage.cache_read_input_tokens'
export const ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS_LEGACY = 'gen_ai.usage.cache_creation_input_tokens'
/** Non-standard, emitted by OpenLLMetry and Mastra. */
export const ATTR_GEN_AI_USAGE_REASONING_TOKENS = 'gen_ai.usage.reasoning_tokens'
export const ATTR_GEN_AI_INPUT_MESSAGES = 'gen_ai.input.messages'
export const ATTR_GEN_AI_OUTPUT_MESSAGES = 'gen_ai.output.messages'
export const ATTR_GEN_AI_SYSTEM_INSTRUCTIONS = 'gen_ai.system_instructions'
/** Deprecated; also the prefix of flattened `gen_ai.prompt.N.{role,content}` keys. */
export const ATTR_GEN_AI_PROMPT = 'gen_ai.prompt'
/** Deprecated; also the prefix of flattened `gen_ai.completion.N.{role,content}` keys. */
export const ATTR_GEN_AI_COMPLETION = 'gen_ai.completion'
export const ATTR_GEN_AI_TOOL_NAME = 'gen_ai.tool.name'
export const ATTR_GEN_AI_TOOL_CALL_ID = 'gen_ai.tool.call.id'
export const ATTR_GEN_AI_TOOL_CALL_ARGUMENTS = 'gen_ai.tool.call.arguments'
export const ATTR_GEN_AI_TOOL_CALL_RESULT = 'gen_ai.tool.call.result'

// --- OpenInference ------------------------------------------------------------------------------
export const ATTR_OPENINFERENCE_SPAN_KIND = 'openinference.span.kind'
export const ATTR_OI_AGENT_NAME = 'agent.name'
export const ATTR_OI_LLM_MODEL_NAME = 'llm.model_name'
export const ATTR_OI_LLM_PROVIDER = 'llm.provider'
export const ATTR_OI_LLM_SYSTEM = 'llm.system'
export const ATTR_OI_TOKEN_COUNT_PROMPT = 'llm.token_count.prompt'
export const ATTR_OI_TOKEN_COUNT_COMPLETION = 'llm.token_count.completion'
export const ATTR_OI_TOKEN_COUNT_TOTAL = 'llm.token_count.total'
export const ATTR_OI_TOKEN_COUNT_CACHE_READ = 'llm.token_count.prompt_details.cache_read'
export const ATTR_OI_TOKEN_COUNT_CACHE_WRITE = 'llm.token_count.prompt_details.cache_write'
export const ATTR_OI_TOKEN_COUNT_REASONING = 'llm.token_count.completion_details.reasoning'
export const ATTR_OI_COST_TOTAL = 'llm.cost.total'
/** Prefix of flattened `llm.input_messages.N.message.*` keys. */
export const ATTR_OI_INPUT_MESSAGES = 'llm.input_messages'
export const ATTR_OI_OUTPUT_MESSAGES = 'llm.output_messages'
export const ATTR_OI_INPUT_VALUE = 'input.value'
export const ATTR_OI_OUTPUT_VALUE = 'output.value'
export const ATTR_OI_TOOL_NAME = 'tool.name'
export const ATTR_OI_TOOL_CALL_ID = 'tool_call.id'
/** Free-form JSON metadata; LangChain puts `session_id`, `user_id`, `lc_agent_name` here. */
export const ATTR_OI_METADATA = 'metadata'

// --- OpenLLMetry / Traceloop ----------------------------------------------------------------------
export const ATTR_TRACELOOP_SPAN_KIND = 'traceloop.span.kind'
export const ATTR_TRACELOOP_ENTITY_NAME = 'traceloop.entity.name'
export const ATTR_TRACELOOP_ENTITY_INPUT = 'traceloop.entity.input'
export const ATTR_TRACELOOP_ENTITY_OUTPUT = 'traceloop.entity.output'
export const ATTR_TRACELOOP_WORKFLOW_NAME = 'traceloop.workflow.name'
/** Prefix of user-chosen association properties (`...session_id`, `...user_id`). */
export const ATTR_TRACELOOP_ASSOCIATION_PROPERTIES = 'traceloop.association.properties'

// --- Vercel AI SDK (v4-v6) ----------------------------------------------------------------------
export const ATTR_AI_OPERATION_ID = 'ai.operationId'
export const ATTR_AI_TELEMETRY_FUNCTION_ID = 'ai.telemetry.functionId'
/** Prefix of user-chosen telemetry metadata (`...sessionId`, `...userId`). */
export const ATTR_AI_TELEMETRY_METADATA = 'ai.telemetry.metadata'
export const ATTR_AI_MODEL_ID = 'ai.model.id'
export const ATTR_AI_MODEL_PROVIDER = 'ai.model.provider'
export const ATTR_AI_RESPONSE_MODEL = 'ai.response.model'
export const ATTR_AI_RESPONSE_TEXT = 'ai.response.text'
export const ATTR_AI_RESPONSE_TOOL_CALLS = 'ai.response.toolCalls'
export const ATTR_AI_RESPONSE_OBJECT = 'ai.response.object'
export const ATTR_AI_PROMPT = 'ai.prompt'
export const ATTR_AI_PROMPT_MESSAGES = 'ai.prompt.messages'
/** v4 */
export const ATTR_AI_USAGE_PROMPT_TOKENS = 'ai.usage.promptTokens'
/** v4 */
export const ATTR_AI_USAGE_COMPLETION_TOKENS = 'ai.usage.completionTokens'
/** v6; includes cached input. */
export const ATTR_AI_USAGE_INPUT_TOKENS = 'ai.usage.inputTokens'
export const ATTR_AI_USAGE_OUTPUT_TOKENS = 'ai.usage.outputTokens'
export const ATTR_AI_USAGE_CACHED_INPUT_TOKENS = 'ai.usage.cachedInputTokens'
export const ATTR_AI_USAGE_REASONING_TOKENS = 'ai.usage.reasoningTokens'
export const ATTR_AI_USAGE_INPUT_NO_CACHE_TOKENS = 'ai.usage.inputTokenDetails.noCacheTokens'
export const ATTR_AI_USAGE_INPUT_CACHE_READ_TOKENS = 'ai.usage.inputTokenDetails.cacheReadTokens'
export const ATTR_AI_USAGE_INPUT_CACHE_WRITE_TOKENS = 'ai.usage.inputTokenDetails.cacheWriteTokens'
export const ATTR_AI_USAGE_OUTPUT_REASONING_TOKENS = 'ai.usage.outputTokenDetails.reasoningTokens'
export const ATTR_AI_TOOL_CALL_NAME = 'ai.toolCall.name'
export const ATTR_AI_TOOL_CALL_ID = 'ai.toolCall.id'
export const ATTR_AI_TOOL_CALL_ARGS = 'ai.toolCall.args'
export const ATTR_AI_TOOL_CALL_RESULT = 'ai.toolCall.result'

// --- Langfuse -----------------------------------------------------------------------------------
export const ATTR_LANGFUSE_OBSERVATION_TYPE = 'langfuse.observation.type'
export const ATTR_LANGFUSE_OBSERVATION_LEVEL = 'langfuse.observation.level'
export const ATTR_LANGFUSE_OBSERVATION_STATUS_MESSAGE = 'langfuse.observation.status_message'
export const ATTR_LANGFUSE_OBSERVATION_INPUT = 'langfuse.observation.input'
export const ATTR_LANGFUSE_OBSERVATION_OUTPUT = 'langfuse.observation.output'
export const ATTR_LANGFUSE_OBSERVATION_MODEL_NAME = 'langfuse.observation.model.name'
/** JSON object; `input` excludes the cache keys that sit beside it. */
export const ATTR_LANGFUSE_OBSERVATION_USAGE_DETAILS = 'langfuse.observation.usage_details'
/** JSON object `{input, output, total}` in USD. */
export const ATTR_LANGFUSE_OBSERVATION_COST_DETAILS = 'langfuse.observation.cost_details'
export const ATTR_LANGFUSE_SESSION_ID = 'langfuse.session.id'
export const ATTR_LANGFUSE_USER_ID = 'langfuse.user.id'
export const ATTR_LANGFUSE_TRACE_NAME = 'langfuse.trace.name'

// --- Mastra -------------------------------------------------------------------------------------
export const ATTR_MASTRA_SPAN_TYPE = 'mastra.span.type'
/** Prefix of user metadata (`...sessionId`, `...userId`). */
export const ATTR_MASTRA_METADATA = 'mastra.metadata'

// --- MCP (OTel) ---------------------------------------------------------------------------------
export const ATTR_MCP_METHOD_NAME = 'mcp.method.name'
/** Transport session, not a conversation: never used as session_id. */
export const ATTR_MCP_SESSION_ID = 'mcp.session.id'

// --- A2A ----------------------------------------------------------------------------------------
export const ATTR_A2A_TASK_ID = 'a2a.task.id'
export const ATTR_A2A_CONTEXT_ID = 'a2a.context.id'
export const ATTR_A2A_AGENT_NAME = 'a2a.agent.name'
export const ATTR_A2A_METHOD = 'a2a.method'
/** Common prefix used to detect an A2A span. */
export const A2A_PREFIX = 'a2a.'

// --- Sightline ----------------------------------------------------------------------------------
/**
 * `true` on a model call whose producer does not know its token usage (e.g. `sightline import` of a run
 * file that recorded none): unless the call reports its cost, the cost stays unknown (null, counted as
 * unpriced) instead of being priced from zero tokens as $0.
 */
export const ATTR_SIGHTLINE_USAGE_UNKNOWN = 'sightline.usage.unknown'

/**
 * Set (as a resource or span attribute) on traffic that `sightline regress` produced: its value is the
 * regression case id. Such traces are regression runs: judged like any trace and shown with their run,
 * but kept out of production rollups and anomaly detection. The SDK sets it on every span of a process
 * started with `SIGHTLINE_REGRESSION_CASE` (the runner sets that for the agents it starts).
 */
export const ATTR_SIGHTLINE_REGRESSION_CASE = 'sightline.regression.case'
/** The environment variable the regression runner sets for the agent processes it starts. */
export const ENV_SIGHTLINE_REGRESSION_CASE = 'SIGHTLINE_REGRESSION_CASE'
