/**
 * Span-local markers the trace resolver reads (packages/core SpanFlag): which end of an MCP or A2A
 * call a span is, whether it hands the conversation to a human, and whether its name is a
 * library's generic label. Only what the span itself says decides them; what they mean for
 * counting and naming is the resolver's structural rule.
 */
import type { SpanKind } from '@sightline/schema'
import { SpanFlag } from '@sightline/core'
import * as K from '@sightline/schema/semconv'
import type { Attributes } from '../types.js'
import { ADK_GENERIC_NAMES, ADK_SCOPE } from './adk.js'
import { hasKeyWithPrefix } from './attributes.js'

const OTLP_SERVER = 2
const OTLP_CLIENT = 3

/** Hand-offs to a person rather than an agent. No convention names them; the target's name and an `escalation.*` attribute do. */
const HUMAN_TARGET = /\bhuman\b/i
const ESCALATION_PREFIX = 'escalation.'

/** Span names a library gives its runner, by instrumentation scope (the trace is named after its root agent). */
const GENERIC_NAMES: ReadonlyMap<string, ReadonlySet<string>> = new Map([[ADK_SCOPE, ADK_GENERIC_NAMES]])

export interface MarkerInput {
  attrs: Attributes
  name: string
  scope: string
  otelKind: number
  kind: SpanKind
  agentName: string
}

export function spanMarkers({ attrs, name, scope, otelKind, kind, agentName }: MarkerInput): string[] {
  const flags: string[] = []
  if (GENERIC_NAMES.get(scope)?.has(name)) flags.push(SpanFlag.genericName)
  const end = otelKind === OTLP_SERVER ? 'server' : otelKind === OTLP_CLIENT ? 'client' : undefined
  if (end && attrs[K.ATTR_MCP_METHOD_NAME] !== undefined) flags.push(end === 'server' ? SpanFlag.mcpServer : SpanFlag.mcpClient)
  if (end && hasKeyWithPrefix(attrs, K.A2A_PREFIX)) flags.push(end === 'server' ? SpanFlag.a2aServer : SpanFlag.a2aClient)
  const handsOver = kind === 'handoff' || kind === 'agent'
  if (handsOver && (HUMAN_TARGET.test(agentName) || hasKeyWithPrefix(attrs, ESCALATION_PREFIX))) flags.push(SpanFlag.humanEscalation)
  return flags
}
