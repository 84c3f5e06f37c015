/**
 * @module eval/counted-steps
 * A run's steps for evaluation, each call once: the server end of a traced MCP call (the resolver's
 * `toolRole: 'part'`) is the same call as its client end and is left out before observing. (The
 * regression observer recognises that echo by an older flag name; until it reads the resolver's
 * role, evaluation filters here so a traced MCP server does not double every tool call.)
 */
import { observeRun, type ObservableSpan, type ObservedRun } from '../regression/observe.js'

export function observeCounted<S extends ObservableSpan & { toolRole?: string }>(spans: readonly S[]): ObservedRun {
  return observeRun(spans.filter((s) => s.toolRole !== 'part'))
}
