/**
 * What a span lost before it was stored, where readers see it: counts as `sightline.dropped.*`
 * attributes (the sender's own drops plus ours) and the flag `limits_applied` when our limits cut.
 */
import * as K from '@sightline/schema/semconv'
import type { SpanRowInsert } from '@sightline/schema'
import type { DroppedCounts } from '../types.js'

export function markDropped(row: SpanRowInsert, dropped: DroppedCounts | undefined): void {
  if (dropped === undefined) return
  if (dropped.events > 0) row.attributes[K.ATTR_SIGHTLINE_DROPPED_EVENTS] = String(dropped.events)
  if (dropped.links > 0) row.attributes[K.ATTR_SIGHTLINE_DROPPED_LINKS] = String(dropped.links)
  if (dropped.attributes > 0) row.attributes[K.ATTR_SIGHTLINE_DROPPED_ATTRIBUTES] = String(dropped.attributes)
  if (dropped.limitsApplied) row.flags.push('limits_applied')
}

/** The resource's dropped attributes, on its flattened (shared) attribute map. */
export function withDroppedResourceAttributes(
  attributes: Record<string, string>,
  dropped: number | undefined,
): Record<string, string> {
  if (!dropped) return attributes
  return { ...attributes, [K.ATTR_SIGHTLINE_DROPPED_ATTRIBUTES]: String(dropped) }
}
