/**
 * The only place the console talks HTTP. Every call checks `res.ok`, turns the API's error envelope
 * into an `ApiRequestError` with context, and zod-parses the body with the contract's response
 * schema, so a server change shows up here and not as `undefined` deep in a component.
 * Auth is the HttpOnly session cookie; a 401 anywhere notifies `onUnauthorized` (→ sign-in page).
 */
import {
  ApiErrorSchema,
  FacetsResponseSchema,
  GetSpanResponseSchema,
  GetTraceResponseSchema,
  ListTracesResponseSchema,
  SessionResponseSchema,
  decodeSpanColumns,
  TraceSkeletonResponseSchema,
  type FacetsResponse,
  type GetTraceResponse,
  type ListTracesResponse,
  type SessionResponse,
  type Span,
} from '@sightline/schema'
import type { z } from 'zod'

class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message)
    this.name = 'ApiRequestError'
  }
}

let unauthorizedListener: () => void = () => {}
/** The app shell registers the redirect to /signin here. */
export function onUnauthorized(listener: () => void): void {
  unauthorizedListener = listener
}

/** Exported for feature API modules (e.g. features/regression/regression-api.ts); same checks for every call. */
const MAX_READ_RETRIES = 3
const MAX_RETRY_WAIT_S = 5

function wait(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(timer)
      reject(signal.reason)
    })
  })
}

export async function request<T extends z.ZodType>(
  what: string,
  path: string,
  schema: T | null,
  init?: RequestInit,
): Promise<z.infer<T>> {
  let res: Response
  for (let attempt = 0; ; attempt++) {
    try {
      res = await fetch(path, { credentials: 'same-origin', ...init })
    } catch (error) {
      throw new ApiRequestError(`Could not reach the server to ${what}: ${(error as Error).message}`, 0, 'network')
    }
    // A read the server was too busy for (429/503 + Retry-After: the project's query slots were
    // full) is asked again after the delay it names, a few times; writes are never repeated.
    const retryAfter = Number(res.headers.get('retry-after'))
    const isRead = (init?.method ?? 'GET') === 'GET'
    if (!isRead || (res.status !== 429 && res.status !== 503) || !(retryAfter > 0) || attempt >= MAX_READ_RETRIES) break
    await res.body?.cancel()
    await wait(Math.min(retryAfter, MAX_RETRY_WAIT_S) * 1000, init?.signal)
  }
  if (!res.ok) {
    const body: unknown = await res.json().catch(() => null)
    const parsed = ApiErrorSchema.safeParse(body)
    const message = parsed.success ? parsed.data.error.message : `${res.status} ${res.statusText}`
    const code = parsed.success ? parsed.data.error.code : 'http_error'
    if (res.status === 401 && !path.endsWith('/session')) unauthorizedListener()
    throw new ApiRequestError(`Failed to ${what}: ${message}`, res.status, code)
  }
  if (!schema) return undefined as z.infer<T>
  const jsonStart = performance.now()
  const json: unknown = await res.json()
  performance.measure('sightline.api.json', { start: jsonStart })
  const parseStart = performance.now()
  const result = schema.safeParse(json)
  // Visible in the browser's performance timeline and read by the console benchmark.
  performance.measure('sightline.api.validate', { start: parseStart })
  if (!result.success)
    throw new ApiRequestError(
      `Failed to ${what}: unexpected response (${result.error.issues[0]?.message ?? 'invalid'})`,
      res.status,
      'bad_response',
    )
  return result.data
}

export type TraceListParams = Record<string, string | undefined>

export function toQuery(params: TraceListParams): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, value)
  const text = search.toString()
  return text ? `?${text}` : ''
}

const tracePath = (traceId: string) => `/api/v1/traces/${encodeURIComponent(traceId)}`

/** The skeleton arrives in columns (packages/schema/src/span-columns.ts) and becomes spans here. */
async function loadSkeleton(traceId: string, signal?: AbortSignal): Promise<GetTraceResponse> {
  const { trace, spans } = await request(
    `load trace ${traceId}`,
    `${tracePath(traceId)}/skeleton`,
    TraceSkeletonResponseSchema,
    { signal },
  )
  const start = performance.now()
  const decoded = decodeSpanColumns(spans)
  performance.measure('sightline.trace.decode', { start })
  return { trace, spans: decoded }
}

/**
 * A skeleton requested at boot, before React, the session check and the trace page's chunk have
 * loaded: on a deep link to a 10k-span trace that overlaps the biggest request with everything else.
 * Taken once by the first `getTraceSkeleton` for that trace.
 */
const prefetched = new Map<string, Promise<GetTraceResponse>>()
export function prefetchTraceSkeleton(traceId: string): void {
  const promise = loadSkeleton(traceId)
  promise.catch(() => {}) // the consumer sees the error; an unconsumed prefetch must not be an unhandled rejection
  prefetched.set(traceId, promise)
}
function takePrefetched(traceId: string): Promise<GetTraceResponse> | undefined {
  const promise = prefetched.get(traceId)
  prefetched.delete(traceId)
  return promise
}

export const api = {
  listTraces: (params: TraceListParams, signal?: AbortSignal): Promise<ListTracesResponse> =>
    request('list traces', `/api/v1/traces${toQuery(params)}`, ListTracesResponseSchema, { signal }),
  /** Spans without their heavy fields: what the trace view needs for 10k+ spans. */
  getTraceSkeleton: (traceId: string, signal?: AbortSignal): Promise<GetTraceResponse> =>
    takePrefetched(traceId) ?? loadSkeleton(traceId, signal),
  getTrace: (traceId: string, signal?: AbortSignal): Promise<GetTraceResponse> =>
    request(`load trace ${traceId}`, tracePath(traceId), GetTraceResponseSchema, { signal }),
  getSpan: async (traceId: string, spanId: string, signal?: AbortSignal): Promise<Span> =>
    (
      await request(
        `load span ${spanId}`,
        `${tracePath(traceId)}/spans/${encodeURIComponent(spanId)}`,
        GetSpanResponseSchema,
        { signal },
      )
    ).span,
  getFacets: (params: { from?: string; to?: string }, signal?: AbortSignal): Promise<FacetsResponse> =>
    request('load filter values', `/api/v1/facets${toQuery(params)}`, FacetsResponseSchema, { signal }),
  getSession: (): Promise<SessionResponse> => request('check the session', '/api/v1/session', SessionResponseSchema),
  /** Signing in while signed in adds the key's project to the session and makes it current. */
  signIn: (apiKey: string): Promise<SessionResponse> =>
    request('sign in', '/api/v1/session', SessionResponseSchema, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiKey }),
    }),
  switchProject: (projectId: string): Promise<SessionResponse> =>
    request('switch project', '/api/v1/session', SessionResponseSchema, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ projectId }),
    }),
  signOut: async (): Promise<void> => {
    await request('sign out', '/api/v1/session', null, { method: 'DELETE' })
  },
}
