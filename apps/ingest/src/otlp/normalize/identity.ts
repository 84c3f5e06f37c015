/**
 * Who ran the span: agent, session, user, and the service/release/environment from the resource.
 * Session and user ids are free-form metadata in most conventions (`ai.telemetry.metadata.<key>`,
 * `traceloop.association.properties.<key>`), so the usual spellings of the key are all tried.
 */
import type { SpanKind } from '@sightline/schema'
import * as K from '@sightline/schema/semconv'
import type { Attributes } from '../types.js'
import { asObject, firstString, toText } from './attributes.js'
import { handoffTarget } from './openai-agents.js'

const metadataKeys = (prefixes: readonly string[], names: readonly string[]): string[] =>
  prefixes.flatMap((prefix) => names.map((name) => `${prefix}.${name}`))

const METADATA_PREFIXES = [
  K.ATTR_TRACELOOP_ASSOCIATION_PROPERTIES,
  K.ATTR_AI_TELEMETRY_METADATA,
  K.ATTR_MASTRA_METADATA,
]
const SESSION_NAMES = ['session_id', 'sessionId']
const USER_NAMES = ['user_id', 'userId']

// gen_ai.conversation.id comes last: OpenLLMetry sets both, and the association property is the id
// the user chose to group by.
const SESSION_KEYS = [
  K.ATTR_SESSION_ID,
  K.ATTR_LANGFUSE_SESSION_ID,
  K.ATTR_ADK_SESSION_ID,
  ...metadataKeys(METADATA_PREFIXES, SESSION_NAMES),
]
const USER_KEYS = [K.ATTR_USER_ID, K.ATTR_LANGFUSE_USER_ID, ...metadataKeys(METADATA_PREFIXES, USER_NAMES)]

/** OpenInference (LangChain) keeps run metadata as one JSON attribute; ids can live only there. */
function fromOpenInferenceMetadata(attrs: Attributes, names: readonly string[]): string {
  const metadata = asObject(attrs[K.ATTR_OI_METADATA])
  if (!metadata) return ''
  for (const name of names) {
    const value = metadata[name]
    if (value !== undefined && value !== null && value !== '') return toText(value)
  }
  return ''
}

/** The span's session id, and whether it is only its conversation id (a trace prefers an explicit key). */
export function extractSession(attrs: Attributes): { sessionId: string; fromConversation: boolean } {
  const explicit = firstString(attrs, SESSION_KEYS) || fromOpenInferenceMetadata(attrs, SESSION_NAMES)
  if (explicit !== '') return { sessionId: explicit, fromConversation: false }
  const conversation = firstString(attrs, [K.ATTR_GEN_AI_CONVERSATION_ID])
  return { sessionId: conversation, fromConversation: conversation !== '' }
}

export function extractSessionId(attrs: Attributes): string {
  return extractSession(attrs).sessionId
}

export function extractUserId(attrs: Attributes): string {
  return firstString(attrs, USER_KEYS) || fromOpenInferenceMetadata(attrs, USER_NAMES)
}

/**
 * The agent this span itself names. Empty when the span names none; the orchestrator then
 * inherits the nearest agent ancestor's name. A hand-off names the agent it hands to.
 */
export function extractAgentName(attrs: Attributes, spanName: string, kind: SpanKind): string {
  const explicit =
    firstString(attrs, [K.ATTR_GEN_AI_AGENT_NAME, K.ATTR_OI_AGENT_NAME, K.ATTR_A2A_AGENT_NAME]) ||
    fromOpenInferenceMetadata(attrs, ['lc_agent_name'])
  if (explicit !== '') return explicit
  if (kind === 'handoff') return handoffTarget(attrs, spanName)
  return kind === 'agent' ? agentSpanName(attrs, spanName) : ''
}

/** An agent span without an agent-name attribute is named after its agent (OpenInference, Langfuse). */
function agentSpanName(attrs: Attributes, spanName: string): string {
  if (firstString(attrs, [K.ATTR_TRACELOOP_SPAN_KIND]) === 'agent') {
    return firstString(attrs, [K.ATTR_TRACELOOP_ENTITY_NAME]) || spanName.replace(/\.agent$/, '')
  }
  const functionId = firstString(attrs, [K.ATTR_AI_TELEMETRY_FUNCTION_ID])
  if (functionId !== '') return functionId
  return spanName.replace(/^invoke_agent /, '').replace(/^create_agent /, '')
}

export interface ResourceIdentity {
  serviceName: string
  serviceVersion: string
  environment: string
}

export function extractResourceIdentity(resource: Attributes): ResourceIdentity {
  return {
    serviceName: firstString(resource, [K.ATTR_SERVICE_NAME]),
    serviceVersion: firstString(resource, [K.ATTR_SERVICE_VERSION]),
    environment: firstString(resource, [K.ATTR_DEPLOYMENT_ENVIRONMENT_NAME, K.ATTR_DEPLOYMENT_ENVIRONMENT]),
  }
}
