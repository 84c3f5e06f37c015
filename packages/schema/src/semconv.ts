/**
 * Attribute keys of the agent-telemetry conventions Sightline reads, copied rather than imported so
 * that this module stays dependency-free: the agent SDK ships it to user processes (house style 8.2).
 *
 * Sources: OTel GenAI registry (semantic-conventions-genai), OpenInference, @traceloop/ai-semantic-conventions
 * 0.27, Vercel AI SDK v4-v6 telemetry, @langfuse/core 5.x, Mastra, OTel MCP, A2A. See
 * docs/conventions.md for which concept each key carries.
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
/** Array of strings, one per choice. */
export const ATTR_GEN_AI_RESPONSE_FINISH_REASONS = 'gen_ai.response.finish_reasons'
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
/** The tool's implementation class (`FunctionTool`, ADK's `AgentTool` for an agent used as a tool). */
export const ATTR_GEN_AI_TOOL_TYPE = 'gen_ai.tool.type'

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
/** The agent an AGENT span runs (OpenAI Agents); its absence marks the SDK's workflow span. */
export const ATTR_OI_GRAPH_NODE_ID = 'graph.node.id'
/** The agent that handed control to this one. */
export const ATTR_OI_GRAPH_NODE_PARENT_ID = 'graph.node.parent_id'

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
export const ATTR_AI_RESPONSE_FINISH_REASON = 'ai.response.finishReason'
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
/** JSON object per provider; AI SDK 4 reports OpenAI's cached and reasoning tokens only here. */
export const ATTR_AI_RESPONSE_PROVIDER_METADATA = 'ai.response.providerMetadata'
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

// --- Google ADK (instrumentation scope `gcp.vertex.agent`) ---------------------------------------
/** JSON of the model request: `{model, contents[{role, parts}], config}`; `"{}"` on tool spans. */
export const ATTR_ADK_LLM_REQUEST = 'gcp.vertex.agent.llm_request'
/** JSON of the model response: `{content{role, parts}, usageMetadata{...}}`; `"{}"` on tool spans. */
export const ATTR_ADK_LLM_RESPONSE = 'gcp.vertex.agent.llm_response'
export const ATTR_ADK_TOOL_CALL_ARGS = 'gcp.vertex.agent.tool_call_args'
/** JSON; ADK wraps a non-object result as `{"result": …}` and an array as `{"results": […]}`. */
export const ATTR_ADK_TOOL_RESPONSE = 'gcp.vertex.agent.tool_response'
export const ATTR_ADK_SESSION_ID = 'gcp.vertex.agent.session_id'

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

// --- Written by Sightline's edge (never read from senders) --------------------------------------
/** How many of a span's events, links and attributes (its own, its events' and links') were left
 * out: by the sender's SDK (OTLP `dropped_*_count`) plus by the edge's limits (flag `limits_applied`).
 * On `resource_attributes`, the resource attributes left out. Set only when non-zero. */
export const ATTR_SIGHTLINE_DROPPED_EVENTS = 'sightline.dropped.events'
export const ATTR_SIGHTLINE_DROPPED_LINKS = 'sightline.dropped.links'
export const ATTR_SIGHTLINE_DROPPED_ATTRIBUTES = 'sightline.dropped.attributes'

/**
 * Resource attributes `sightline regress` adds to the agent it starts (through
 * `OTEL_RESOURCE_ATTRIBUTES`): the traffic is a replay of a regression case, not production. Ingest
 * flags such spans (`regression_run`); their traces stay out of the rollups, the default trace list
 * and production anomaly detection, and are listed with `regression=true`.
 */
export const ATTR_SIGHTLINE_REGRESS_RUN_ID = 'sightline.regress.run_id'
export const ATTR_SIGHTLINE_REGRESS_CASE_ID = 'sightline.regress.case_id'

// --- GenAI evaluation (OTel, development) -------------------------------------------------------
/** A span event or a log record (event name) carrying one evaluation result; read as an `otel` score. */
export const EVENT_GEN_AI_EVALUATION_RESULT = 'gen_ai.evaluation.result'
export const ATTR_GEN_AI_EVALUATION_NAME = 'gen_ai.evaluation.name'
export const ATTR_GEN_AI_EVALUATION_SCORE_VALUE = 'gen_ai.evaluation.score.value'
export const ATTR_GEN_AI_EVALUATION_SCORE_LABEL = 'gen_ai.evaluation.score.label'
export const ATTR_GEN_AI_EVALUATION_EXPLANATION = 'gen_ai.evaluation.explanation'
/** Correlates an evaluation with the model response it judged when no span context is available. */
export const ATTR_GEN_AI_RESPONSE_ID = 'gen_ai.response.id'
/**
 * On an evaluation event written by @sightline/sdk's scoreCurrentSpan: `sdk`, and the value's type when it is boolean.
 */
export const ATTR_SIGHTLINE_SCORE_SOURCE = 'sightline.score.source'
export const ATTR_SIGHTLINE_SCORE_DATA_TYPE = 'sightline.score.data_type'
/** Log records name their event here when the OTLP `event_name` field is empty (older SDKs). */
export const ATTR_EVENT_NAME = 'event.name'

/**
 * Set (as a resource or span attribute) on traffic that `sightline regress` produced: its value is the
 * regression case id. Such traces are regression runs: judged like any trace and shown with their run,
 * but kept out of production rollups and anomaly detection. The SDK sets it on every span of a process
 * started with `SIGHTLINE_REGRESSION_CASE` (the runner sets that for the agents it starts).
 */
export const ATTR_SIGHTLINE_REGRESSION_CASE = 'sightline.regression.case'
/** The environment variable the regression runner sets for the agent processes it starts. */
export const ENV_SIGHTLINE_REGRESSION_CASE = 'SIGHTLINE_REGRESSION_CASE'
