/** Span events and links as the JSON text arrays stored in the `events` / `links` columns. */
import type { DecodedEvent, DecodedLink } from '../types.js'
import { nanosToIso, parseNanos, ZERO_NANOS } from './ids-and-time.js'
import { flattenAttributes, type Truncator } from './truncate.js'

export function eventsJson(events: readonly DecodedEvent[], truncator: Truncator): string {
  return JSON.stringify(
    events.map((event) => ({
      time: nanosToIso(parseNanos(event.timeUnixNano) ?? ZERO_NANOS),
      name: event.name,
      attributes: flattenAttributes(event.attributes, truncator),
    })),
  )
}

export function linksJson(links: readonly DecodedLink[], truncator: Truncator): string {
  return JSON.stringify(
    links.map((link) => ({
      traceId: link.traceId.toLowerCase(),
      spanId: link.spanId.toLowerCase(),
      attributes: flattenAttributes(link.attributes, truncator),
    })),
  )
}
