/**
 * The OpenAI Agents SDK traced by OpenInference's processor (JS `@arizeai/openinference-
 * instrumentation-openai-agents`, Python `openinference.instrumentation.openai_agents`). Two of its
 * spans do not mean what their OpenInference kind says:
 *
 * - the SDK's trace (`workflowName`) is exported as an AGENT span; real agents carry
 *   `graph.node.id`, the workflow does not: it is the run, named by the user, not an agent;
 * - a hand-off is exported as a TOOL span `handoff to <agent>` (`tool.name` `handoff_to_<agent>`,
 *   output `{"to_agent": …}`): control passes to another agent, it is not a tool call.
 *
 * The run's `groupId` is not exported by processor 0.2.15 (nor `traceMetadata`), so there is no
 * session to read. Captured on @openai/agents 0.20.0 (packages/contract-tests/FINDINGS.md).
 */
import type { SpanKind } from '@sightline/schema'
import * as K from '@sightline/schema/semconv'
import type { Attributes } from '../types.js'
import { asObject, firstString } from './attributes.js'

const SCOPE_PREFIXES = [
  '@arizeai/openinference-instrumentation-openai-agents',
  'openinference.instrumentation.openai_agents',
]
const HANDOFF_NAME = /^handoff to (.+)$/
const HANDOFF_TOOL = /^handoff_to_(.+)$/

export const isOpenAiAgentsScope = (scope: string) => SCOPE_PREFIXES.some((prefix) => scope.startsWith(prefix))

/** The span's kind when the SDK's export misstates it, else undefined. */
export function openAiAgentsKind(attrs: Attributes, name: string): { kind: SpanKind; operation: string } | undefined {
  const oiKind = firstString(attrs, [K.ATTR_OPENINFERENCE_SPAN_KIND]).toUpperCase()
  if (oiKind === 'AGENT' && firstString(attrs, [K.ATTR_OI_GRAPH_NODE_ID]) === '')
    return { kind: 'chain', operation: 'workflow' }
  if (oiKind === 'TOOL' && (HANDOFF_NAME.test(name) || HANDOFF_TOOL.test(firstString(attrs, [K.ATTR_OI_TOOL_NAME])))) {
    return { kind: 'handoff', operation: 'handoff' }
  }
  return undefined
}

/** The agent a hand-off span passes control to ('' when it names none). */
export function handoffTarget(attrs: Attributes, name: string): string {
  const output = asObject(attrs[K.ATTR_OI_OUTPUT_VALUE])?.['to_agent']
  if (typeof output === 'string' && output !== '') return output
  return HANDOFF_NAME.exec(name)?.[1] ?? HANDOFF_TOOL.exec(firstString(attrs, [K.ATTR_OI_TOOL_NAME]))?.[1] ?? ''
}
