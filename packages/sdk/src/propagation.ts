/**
 * W3C trace context in and out of carriers (HTTP headers, MCP `_meta`). The helpers use a W3C
 * propagator of their own rather than the global one: A2A and MCP both name `traceparent` on the
 * wire, and this keeps them working when the app registered no propagator (`register: false`).
 */
import { context, type Context, type TextMapGetter } from '@opentelemetry/api'
import { W3CTraceContextPropagator } from '@opentelemetry/core'

const w3c = new W3CTraceContextPropagator()

/**
 * W3C trace context headers; empty when no span is active. A type alias rather than an interface so
 * that it is assignable to index-signature types such as MCP's `_meta` and plain header records.
 *
 * @example
 * ```ts
 * const headers: TraceHeaders = a2aTraceHeaders() // { traceparent: '00-…-01' }
 * ```
 */
export type TraceHeaders = {
  traceparent?: string
  tracestate?: string
}

/**
 * Where incoming trace context can be read from: a fetch `Headers`, Node's `req.headers`, the
 * `RequestHeaders` record of `@a2a-js/sdk`, or an MCP `_meta` object.
 *
 * @example
 * ```ts
 * withA2aServer(options, req.headers, handle)              // node:http / express
 * withA2aServer(options, request.headers, handle)          // fetch Request
 * withA2aServer(options, ctx.context.state.get('headers') as HeaderSource, handle) // @a2a-js/sdk
 * ```
 */
export type HeaderSource = Headers | Record<string, unknown> | null | undefined

type Carrier = Exclude<HeaderSource, null | undefined>

const isHeaders = (carrier: Carrier): carrier is Headers => typeof Headers !== 'undefined' && carrier instanceof Headers

// Node lower-cases incoming header names but hand-built records may not; W3C names are lower case.
const getter: TextMapGetter<Carrier> = {
  keys: (carrier) => (isHeaders(carrier) ? [...carrier.keys()] : Object.keys(carrier)),
  get: (carrier, key) => {
    if (isHeaders(carrier)) return carrier.get(key) ?? undefined
    const name = Object.keys(carrier).find((k) => k.toLowerCase() === key)
    const value = name === undefined ? undefined : carrier[name]
    if (typeof value === 'string') return value
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[]
    return undefined
  },
}

/** The active (or given) context as W3C headers. */
export function traceHeadersOf(ctx: Context = context.active()): TraceHeaders {
  const carrier: Record<string, string> = {}
  w3c.inject(ctx, carrier, {
    set: (c, key, value) => {
      c[key] = value
    },
  })
  const headers: TraceHeaders = {}
  if (carrier.traceparent) headers.traceparent = carrier.traceparent
  if (carrier.tracestate) headers.tracestate = carrier.tracestate
  return headers
}

/** The active context with the remote parent from `source`; the active one unchanged if none. */
export function extractContext(source: HeaderSource): Context {
  const active = context.active()
  return source ? w3c.extract(active, source, getter) : active
}
