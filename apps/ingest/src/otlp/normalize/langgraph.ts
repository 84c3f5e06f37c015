/**
 * LangGraph (and LangChain's `createAgent`, built on it) traced by OpenInference's LangChain
 * instrumentation. No span says AGENT: a graph arrives as CHAIN spans, its nodes (`agent`, `tools`,
 * `__start__`) carrying `langgraph_node` in the run metadata. The graph's own run span carries the
 * integration marker but no node: that span is the agent, named by `lc_agent_name` when LangChain
 * sets it, else by the span (`createReactAgent({ name })`). Captured on @langchain/langgraph 1.7.3
 * (packages/contract-tests/FINDINGS.md). The provider (`ls_provider`) is read in provider.ts.
 */
import * as K from '@sightline/schema/semconv'
import type { Attributes } from '../types.js'
import { asObject, firstString } from './attributes.js'

/** `metadata.ls_integration` of a compiled graph's run. */
const GRAPH_INTEGRATIONS: ReadonlySet<string> = new Set(['langgraph', 'langchain_create_agent'])

export function isLangGraphRun(attrs: Attributes): boolean {
  if (firstString(attrs, [K.ATTR_OPENINFERENCE_SPAN_KIND]).toUpperCase() !== 'CHAIN') return false
  const metadata = asObject(attrs[K.ATTR_OI_METADATA])
  const integration = metadata?.['ls_integration']
  return (
    typeof integration === 'string' && GRAPH_INTEGRATIONS.has(integration) && metadata?.['langgraph_node'] === undefined
  )
}
