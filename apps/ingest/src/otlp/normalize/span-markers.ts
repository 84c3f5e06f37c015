/**
 * Span-local markers the trace resolver reads (packages/core SpanFlag): which end of an MCP or A2A
 * call a span is, whether it hands the conversation to a human, whether its name is a library's
 * generic label, and whether its process is a replay started by `sightline regress`. Only what the
 * span and its resource say decides them; what they mean for counting and naming is the resolver's
 * structural rule.
 */
import type { SpanKind } from '@sightline/schema'
import { SpanFlag } from '@sightline/core'
import * as K from '@sightline/schema/semconv'
import type { Attributes } from '../types.js'
import { ADK_GENERIC_NAMES, ADK_SCOPE } from './adk.js'
import { hasKeyWithPrefix } from './attributes.js'

const OTLP_SERVER = 2
const OTLP_CLIENT = 3

/**
 * Hand-offs to a person rather than an agent. No convention names them; the target's name and an
 * `escalation.*` attribute do.
 */
const HUMAN_TARGET = /\bhuman\b/i
const ESCALATION_PREFIX = 'escalation.'

/**
 * Regression-runner traffic: `sightline regress` marks the agent process it starts through
 * `OTEL_RESOURCE_ATTRIBUTES`; the SDK marks every span of a process started with
 * SIGHTLINE_REGRESSION_CASE (on the resource, or on the span by other senders).
 */
const isRegressionReplay = (resource: Readonly<Record<string, string>>, attrs: Attributes) =>
  Boolean(resource[K.ATTR_SIGHTLINE_REGRESS_RUN_ID] || resource[K.ATTR_SIGHTLINE_REGRESS_CASE_ID]) ||
  resource[K.ATTR_SIGHTLINE_REGRESSION_CASE] !== undefined ||
  attrs[K.ATTR_SIGHTLINE_REGRESSION_CASE] !== undefined

/** Span names a library gives its runner, by instrumentation scope (the trace is named after its root agent). */
const GENERIC_NAMES: ReadonlyMap<string, ReadonlySet<string>> = new Map([[ADK_SCOPE, ADK_GENERIC_NAMES]])

export interface MarkerInput {
  attrs: Attributes
  name: string
  scope: string
  otelKind: number
  kind: SpanKind
  agentName: string
  resource: Readonly<Record<string, string>>
}

export function spanMarkers({ attrs, name, scope, otelKind, kind, agentName, resource }: MarkerInput): string[] {
  const flags: string[] = []
  if (isRegressionReplay(resource, attrs)) flags.push(SpanFlag.regressionRun)
  if (GENERIC_NAMES.get(scope)?.has(name)) flags.push(SpanFlag.genericName)
  const end = otelKind === OTLP_SERVER ? 'server' : otelKind === OTLP_CLIENT ? 'client' : undefined
  if (end && attrs[K.ATTR_MCP_METHOD_NAME] !== undefined)
    flags.push(end === 'server' ? SpanFlag.mcpServer : SpanFlag.mcpClient)
  if (end && hasKeyWithPrefix(attrs, K.A2A_PREFIX))
    flags.push(end === 'server' ? SpanFlag.a2aServer : SpanFlag.a2aClient)
  const handsOver = kind === 'handoff' || kind === 'agent'
  if (handsOver && (HUMAN_TARGET.test(agentName) || hasKeyWithPrefix(attrs, ESCALATION_PREFIX)))
    flags.push(SpanFlag.humanEscalation)
  return flags
}
