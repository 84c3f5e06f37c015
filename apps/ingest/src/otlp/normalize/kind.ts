/**
 * Span kind classification. Each convention names its span types differently; the first convention
 * present on the span decides (order in docs/conventions.md). The same pass says whether the span
 * is one request to a model provider, which counts as a call even without usage (a failed request);
 * whether a span carrying usage is a call or an aggregate of its children is the resolver's
 * structural rule (packages/core/src/trace/roles.ts), not a convention's.
 */
import type { SpanKind } from '@sightline/schema'
import * as K from '@sightline/schema/semconv'
import type { Attributes } from '../types.js'
import { ADK_SCOPE, ADK_SPAN_KINDS } from './adk.js'
import { firstString, hasKeyWithPrefix } from './attributes.js'
import { isLangGraphRun } from './langgraph.js'
import { isOpenAiAgentsScope, openAiAgentsKind } from './openai-agents.js'

export interface Classification {
  kind: SpanKind
  /** One request to a model provider: the only spans whose tokens are counted. */
  isProviderCall: boolean
  /** The convention's own operation name, kept for filtering (`chat`, `ai.generateText.doGenerate`). */
  operation: string
}

/** The span as its convention rules see it: the instrumentation scope names the library. */
export interface SpanShape {
  attrs: Attributes
  name: string
  otelKind: number
  scope: string
}

type Rule = (span: SpanShape) => Classification | undefined

const OTLP_SPAN_KIND_CLIENT = 3

const GEN_AI_OPERATIONS: Record<string, [SpanKind, boolean]> = {
  chat: ['llm', true],
  text_completion: ['llm', true],
  generate_content: ['llm', true],
  embeddings: ['embedding', true],
  execute_tool: ['tool', false],
  invoke_agent: ['agent', false],
  create_agent: ['agent', false],
  retrieval: ['retriever', false],
  invoke_workflow: ['chain', false],
}

const OPENINFERENCE_KINDS: Record<string, [SpanKind, boolean]> = {
  LLM: ['llm', true],
  EMBEDDING: ['embedding', true],
  TOOL: ['tool', false],
  AGENT: ['agent', false],
  CHAIN: ['chain', false],
  RETRIEVER: ['retriever', false],
  RERANKER: ['retriever', false],
  GUARDRAIL: ['guardrail', false],
  EVALUATOR: ['span', false],
  PROMPT: ['chain', false],
}

const TRACELOOP_KINDS: Record<string, SpanKind> = {
  workflow: 'chain',
  task: 'chain',
  agent: 'agent',
  tool: 'tool',
  session: 'chain',
}

const LANGFUSE_TYPES: Record<string, [SpanKind, boolean]> = {
  generation: ['llm', true],
  embedding: ['embedding', true],
  agent: ['agent', false],
  tool: ['tool', false],
  chain: ['chain', false],
  retriever: ['retriever', false],
  guardrail: ['guardrail', false],
  evaluator: ['span', false],
  event: ['span', false],
  span: ['span', false],
}

// model_generation wraps every step of one generate() call and model_step one step (its
// `mastra.metadata.body` repeats the provider's raw response, usage included); model_inference is
// the request to the provider. A step that carries a model and usage itself still counts (span-row).
const MASTRA_TYPES: Record<string, [SpanKind, boolean]> = {
  agent_run: ['agent', false],
  model_generation: ['llm', false],
  model_step: ['llm', false],
  model_inference: ['llm', true],
  model_chunk: ['span', false],
  tool_call: ['tool', false],
  mcp_tool_call: ['tool', false],
  workflow_run: ['chain', false],
  workflow_step: ['chain', false],
}

const NAME_PREFIXES: Array<[string, SpanKind, boolean]> = [
  ['chat ', 'llm', true],
  ['text_completion ', 'llm', true],
  ['generate_content ', 'llm', true],
  ['embeddings ', 'embedding', true],
  ['execute_tool ', 'tool', false],
  ['invoke_agent ', 'agent', false],
  ['tools/call ', 'tool', false],
]

function fromTable(table: Record<string, [SpanKind, boolean]>, value: string): Classification | undefined {
  const entry = table[value]
  return entry && { kind: entry[0], isProviderCall: entry[1], operation: value }
}

const byAdk: Rule = ({ scope, name }) => (scope === ADK_SCOPE ? fromTable(ADK_SPAN_KINDS, name) : undefined)

const byOpenAiAgents: Rule = ({ attrs, name, scope }) => {
  const found = isOpenAiAgentsScope(scope) ? openAiAgentsKind(attrs, name) : undefined
  return found && { ...found, isProviderCall: false }
}

const byLangGraph: Rule = ({ attrs }) =>
  isLangGraphRun(attrs) ? { kind: 'agent', isProviderCall: false, operation: 'graph' } : undefined

const byGenAiOperation: Rule = ({ attrs }) =>
  fromTable(GEN_AI_OPERATIONS, firstString(attrs, [K.ATTR_GEN_AI_OPERATION_NAME]))

const byOpenInference: Rule = ({ attrs }) => {
  const value = firstString(attrs, [K.ATTR_OPENINFERENCE_SPAN_KIND]).toUpperCase()
  const found = fromTable(OPENINFERENCE_KINDS, value)
  return found && { ...found, operation: value.toLowerCase() }
}

const byTraceloop: Rule = ({ attrs }) => {
  const value = firstString(attrs, [K.ATTR_TRACELOOP_SPAN_KIND])
  const kind = TRACELOOP_KINDS[value]
  return kind && { kind, isProviderCall: false, operation: value }
}

const byAiSdk: Rule = ({ attrs }) => {
  const operation = firstString(attrs, [K.ATTR_AI_OPERATION_ID])
  if (!operation.startsWith('ai.')) return undefined
  if (/\.do(Generate|Stream)$/.test(operation)) return { kind: 'llm', isProviderCall: true, operation }
  if (operation.endsWith('.doEmbed')) return { kind: 'embedding', isProviderCall: true, operation }
  if (operation === 'ai.toolCall') return { kind: 'tool', isProviderCall: false, operation }
  if (operation === 'ai.embed' || operation === 'ai.embedMany') {
    return { kind: 'embedding', isProviderCall: false, operation }
  }
  // generateText/streamText/generateObject/streamObject: the user's named function is the agent.
  const isFunctionRoot = firstString(attrs, [K.ATTR_AI_TELEMETRY_FUNCTION_ID]) !== ''
  return { kind: isFunctionRoot ? 'agent' : 'chain', isProviderCall: false, operation }
}

const byLangfuse: Rule = ({ attrs }) =>
  fromTable(LANGFUSE_TYPES, firstString(attrs, [K.ATTR_LANGFUSE_OBSERVATION_TYPE]).toLowerCase())

const byMastra: Rule = ({ attrs }) =>
  fromTable(MASTRA_TYPES, firstString(attrs, [K.ATTR_MASTRA_SPAN_TYPE]).toLowerCase())

const byMcp: Rule = ({ attrs }) => {
  const method = firstString(attrs, [K.ATTR_MCP_METHOD_NAME])
  if (method === '') return undefined
  return { kind: method === 'tools/call' ? 'tool' : 'span', isProviderCall: false, operation: method }
}

// A client-side A2A call hands the task to another agent; the server side is that agent running.
const byA2a: Rule = ({ attrs, otelKind }) => {
  if (!hasKeyWithPrefix(attrs, K.A2A_PREFIX)) return undefined
  const operation = firstString(attrs, [K.ATTR_A2A_METHOD]) || 'a2a'
  const kind = otelKind === OTLP_SPAN_KIND_CLIENT ? 'handoff' : 'agent'
  return { kind, isProviderCall: false, operation }
}

const byName: Rule = ({ name }) => {
  const match = NAME_PREFIXES.find(([prefix]) => name.startsWith(prefix))
  return match && { kind: match[1], isProviderCall: match[2], operation: match[0].trim() }
}

// Mastra and A2A go first although the map ranks gen_ai.* higher: both may also set
// gen_ai.operation.name, and only their own keys tell an aggregate from a step, or a remote
// hand-off from a local agent. The library rules (ADK, OpenAI Agents, LangGraph) correct the
// convention their spans are written in, so they precede it.
const RULES: readonly Rule[] = [
  byMastra,
  byA2a,
  byAdk,
  byGenAiOperation,
  byOpenAiAgents,
  byLangGraph,
  byOpenInference,
  byTraceloop,
  byAiSdk,
  byLangfuse,
  byMcp,
  byName,
]

export function classifySpan(span: SpanShape): Classification {
  for (const rule of RULES) {
    const found = rule(span)
    if (found) return found
  }
  const operation = firstString(span.attrs, [K.ATTR_GEN_AI_OPERATION_NAME])
  return { kind: 'span', isProviderCall: false, operation }
}
