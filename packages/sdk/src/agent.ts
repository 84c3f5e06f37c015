/**
 * Agent and guardrail spans: the INTERNAL spans that group the LLM and tool calls of one agent run.
 * Helpers called inside `fn` become children through the active context.
 */
import { SpanKind, type Span } from '@opentelemetry/api'
import {
  ATTR_GEN_AI_AGENT_ID,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_OPENINFERENCE_SPAN_KIND,
  ATTR_USER_ID,
} from '@sightline/schema/semconv'
import {
  ATTR_GEN_AI_AGENT_DESCRIPTION,
  OPENINFERENCE_KIND_GUARDRAIL,
  OPERATION_APPLY_GUARDRAIL,
  OPERATION_INVOKE_AGENT,
} from './attributes.js'
import { definedAttributes, runInSpan } from './span-runner.js'

/**
 * Optional identity of an agent run.
 *
 * @example
 * ```ts
 * await withAgent('support-bot', run, { sessionId: chat.id, userId: user.id } satisfies AgentOptions)
 * ```
 */
export interface AgentOptions {
  /** Conversation/session the run belongs to; written as `gen_ai.conversation.id`. */
  sessionId?: string
  /** End user on whose behalf the agent runs; written as `user.id`. */
  userId?: string
  description?: string
  /** Stable id of the agent definition (`gen_ai.agent.id`), when names are not unique. */
  agentId?: string
}

/**
 * Runs `fn` inside an `invoke_agent {name}` span (kind INTERNAL). LLM, tool and nested agent spans
 * started inside `fn` become its children. Resolves to `fn`'s result; errors are recorded on the span
 * and rethrown.
 *
 * @example
 * ```ts
 * const answer = await withAgent('support-bot', async () => {
 *   const docs = await withTool('search_docs', { q: question }, () => searchDocs(question))
 *   return withLlmCall({ model: 'gpt-4o', provider: 'openai' }, (call) => complete(docs, call))
 * }, { sessionId: chat.id, userId: user.id })
 * ```
 */
export function withAgent<T>(name: string, fn: (span: Span) => T | Promise<T>, opts: AgentOptions = {}): Promise<T> {
  const attributes = definedAttributes({
    [ATTR_GEN_AI_OPERATION_NAME]: OPERATION_INVOKE_AGENT,
    [ATTR_GEN_AI_AGENT_NAME]: name,
    [ATTR_GEN_AI_AGENT_ID]: opts.agentId,
    [ATTR_GEN_AI_AGENT_DESCRIPTION]: opts.description,
    [ATTR_GEN_AI_CONVERSATION_ID]: opts.sessionId,
    [ATTR_USER_ID]: opts.userId,
  })
  return runInSpan({ name: `${OPERATION_INVOKE_AGENT} ${name}`, kind: SpanKind.INTERNAL, attributes }, fn)
}

/**
 * Runs a guardrail check (moderation, PII filter, policy) inside a `guardrail {name}` span that
 * Sightline shows as a guardrail. Throw from `fn` to report a blocked input: the span gets status
 * ERROR and the error is rethrown.
 *
 * @example
 * ```ts
 * await withGuardrail('pii-filter', async () => {
 *   if (await containsPii(userMessage)) throw new Error('message contains personal data')
 * })
 * ```
 */
export function withGuardrail<T>(name: string, fn: (span: Span) => T | Promise<T>): Promise<T> {
  // OTel GenAI has no guardrail operation yet; openinference.span.kind is what ingest classifies by.
  const attributes = {
    [ATTR_GEN_AI_OPERATION_NAME]: OPERATION_APPLY_GUARDRAIL,
    [ATTR_OPENINFERENCE_SPAN_KIND]: OPENINFERENCE_KIND_GUARDRAIL,
  }
  return runInSpan({ name: `guardrail ${name}`, kind: SpanKind.INTERNAL, attributes }, fn)
}
