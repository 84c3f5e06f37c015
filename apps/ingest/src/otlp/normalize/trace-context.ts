/**
 * Fields that belong to the whole trace rather than one span. Only what is in this request can be
 * used: parents routinely arrive in a later batch, so a span whose agent ancestor is not here keeps
 * an empty agent name rather than a guess.
 */
import type { SpanRowInsert } from '@sightline/schema'
import { ATTR_GEN_AI_CONVERSATION_ID } from '@sightline/schema/semconv'

/** Deep agent trees are rare; the cap only guards against parent cycles in malformed input. */
const MAX_ANCESTOR_DEPTH = 256

const spanKey = (traceId: string, spanId: string) => `${traceId}/${spanId}`

/** A span without its own agent name takes the nearest agent ancestor's. */
export function inheritAgentNames(rows: SpanRowInsert[]): void {
  const byId = new Map(rows.map((row) => [spanKey(row.trace_id, row.span_id), row]))
  for (const row of rows) {
    if (row.agent_name !== '') continue
    row.agent_name = nearestAgentName(row, byId)
  }
}

function nearestAgentName(row: SpanRowInsert, byId: Map<string, SpanRowInsert>): string {
  let parentId = row.parent_span_id
  for (let depth = 0; parentId !== '' && depth < MAX_ANCESTOR_DEPTH; depth++) {
    const parent = byId.get(spanKey(row.trace_id, parentId))
    if (!parent) return ''
    if (parent.kind === 'agent' && parent.agent_name !== '') return parent.agent_name
    parentId = parent.parent_span_id
  }
  return ''
}

/**
 * Session and user ids are often set on one span only (the root, or the LLM span). Copying a
 * trace's single id to its other spans makes a session or user filter return whole traces. A trace
 * with two different ids is left alone: there is no right answer to copy.
 */
export function propagateTraceIds(rows: SpanRowInsert[]): void {
  propagate(rows, 'session_id')
  propagate(rows, 'user_id')
  useConversationAsSession(rows)
}

/** Last resort for sessions: the OTel conversation id, on traces where no explicit session key exists. */
function useConversationAsSession(rows: SpanRowInsert[]): void {
  const withSession = new Set(rows.filter((row) => row.session_id !== '').map((row) => row.trace_id))
  for (const row of rows) {
    if (withSession.has(row.trace_id)) continue
    row.session_id = row.attributes[ATTR_GEN_AI_CONVERSATION_ID] ?? ''
  }
  propagate(rows, 'session_id')
}

function propagate(rows: SpanRowInsert[], field: 'session_id' | 'user_id'): void {
  const valuesByTrace = new Map<string, Set<string>>()
  for (const row of rows) {
    if (row[field] === '') continue
    const values = valuesByTrace.get(row.trace_id) ?? new Set<string>()
    values.add(row[field])
    valuesByTrace.set(row.trace_id, values)
  }
  for (const row of rows) {
    const values = valuesByTrace.get(row.trace_id)
    if (row[field] !== '' || !values || values.size !== 1) continue
    row[field] = values.values().next().value ?? ''
  }
}
