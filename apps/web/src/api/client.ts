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
  TraceSkeletonLineSchema,
  TraceSkeletonResponseSchema,
  TRACE_VIEW_HEAD_SPANS,
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

/** The response of a call that answered 2xx: reads the server was too busy for are asked again, errors thrown. */
async function fetchOk(what: string, path: string, init?: RequestInit): Promise<Response> {
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
  return res
}

/** `json` checked against `schema`, timed for the browser's performance timeline (read by the console benchmark). */
function validated<T extends z.ZodType>(what: string, status: number, schema: T, json: unknown): z.infer<T> {
  const parseStart = performance.now()
  const result = schema.safeParse(json)
  performance.measure('sightline.api.validate', { start: parseStart })
  if (!result.success)
    throw new ApiRequestError(
      `Failed to ${what}: unexpected response (${result.error.issues[0]?.message ?? 'invalid'})`,
      status,
      'bad_response',
    )
  return result.data
}

export async function request<T extends z.ZodType>(
  what: string,
  path: string,
  schema: T | null,
  init?: RequestInit,
): Promise<z.infer<T>> {
  const res = await fetchOk(what, path, init)
  if (!schema) return undefined as z.infer<T>
  const jsonStart = performance.now()
  const json: unknown = await res.json()
  performance.measure('sightline.api.json', { start: jsonStart })
  return validated(what, res.status, schema, json)
}

export type TraceListParams = Record<string, string | undefined>

export function toQuery(params: TraceListParams): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, value)
  const text = search.toString()
  return text ? `?${text}` : ''
}

const tracePath = (traceId: string) => `/api/v1/traces/${encodeURIComponent(traceId)}`

/** A trace's skeleton; `complete: false` for the first spans only, shown while the rest loads. */
export interface TraceSkeleton extends GetTraceResponse {
  complete: boolean
}

function decodedSkeleton(trace: GetTraceResponse['trace'], spans: Parameters<typeof decodeSpanColumns>[0]) {
  const start = performance.now()
  const decoded = decodeSpanColumns(spans)
  performance.measure('sightline.trace.decode', { start })
  return { trace, spans: decoded }
}

/** The skeleton arrives in columns (packages/schema/src/span-columns.ts) and becomes spans here. */
async function loadSkeleton(traceId: string, signal?: AbortSignal): Promise<TraceSkeleton> {
  const { trace, spans } = await request(
    `load trace ${traceId}`,
    `${tracePath(traceId)}/skeleton`,
    TraceSkeletonResponseSchema,
    { signal },
  )
  return { ...decodedSkeleton(trace, spans), complete: true }
}

/**
 * The skeleton in lines (`?head=`, TraceSkeletonLineSchema): `onHead` gets the trace's first spans as
 * soon as they arrive, when the server had them before the whole; the promise, the whole.
 */
async function loadSkeletonLines(
  traceId: string,
  onHead: (head: TraceSkeleton) => void,
  signal?: AbortSignal,
): Promise<TraceSkeleton> {
  const what = `load trace ${traceId}`
  const res = await fetchOk(what, skeletonLinesPath(traceId), { signal })
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  // The text before the next newline, in pieces: a 100k-span whole is ~13 MB in hundreds of chunks,
  // and searching or joining all of it at every chunk took seconds.
  let pending: string[] = []
  for (;;) {
    const { done, value } = await reader.read()
    if (done) throw new ApiRequestError(`Failed to ${what}: the answer ended early`, res.status, 'bad_response')
    let start = 0
    for (let end = value.indexOf('\n'); end >= 0; end = value.indexOf('\n', start)) {
      pending.push(value.slice(start, end))
      start = end + 1
      const text = pending.join('')
      pending = []
      const jsonStart = performance.now()
      const json: unknown = JSON.parse(text)
      performance.measure('sightline.api.json', { start: jsonStart })
      const line = validated(what, res.status, TraceSkeletonLineSchema, json)
      if (line.part === 'error')
        throw new ApiRequestError(`Failed to ${what}: ${line.error.message}`, 500, line.error.code)
      if (line.part === 'head') {
        onHead({ ...decodedSkeleton(line.trace, line.spans), complete: false })
        continue
      }
      await reader.cancel()
      return { ...decodedSkeleton(line.trace, line.spans), complete: true }
    }
    pending.push(value.slice(start))
  }
}

const skeletonLinesPath = (traceId: string) => `${tracePath(traceId)}/skeleton?head=${TRACE_VIEW_HEAD_SPANS}`

interface SkeletonLoad {
  /** The first spans, or undefined once the whole came without them. */
  head: Promise<TraceSkeleton | undefined>
  whole: Promise<TraceSkeleton>
}

function startSkeletonLines(traceId: string, signal?: AbortSignal): SkeletonLoad {
  let settleHead!: (head: TraceSkeleton | undefined) => void
  const head = new Promise<TraceSkeleton | undefined>((resolve) => (settleHead = resolve))
  const whole = loadSkeletonLines(traceId, settleHead, signal)
  // Settling twice is a no-op: after the whole, a head that never came is undefined.
  void whole.then(
    () => settleHead(undefined),
    () => settleHead(undefined),
  )
  return { head, whole }
}

/**
 * A skeleton requested at boot, before React, the session check and the trace page's chunk have
 * loaded: on a deep link to a 10k-span trace that overlaps the biggest request with everything else.
 * Taken once by the first `getTraceSkeleton` for that trace. (The URL is the one the server's preload
 * names: routes/console.ts.)
 */
const prefetched = new Map<string, SkeletonLoad>()
export function prefetchTraceSkeleton(traceId: string): void {
  const load = startSkeletonLines(traceId)
  load.whole.catch(() => {}) // the consumer sees the error; an unconsumed prefetch must not be an unhandled rejection
  prefetched.set(traceId, load)
}
function takePrefetched(traceId: string): SkeletonLoad | undefined {
  const load = prefetched.get(traceId)
  prefetched.delete(traceId)
  return load
}

export const api = {
  listTraces: (params: TraceListParams, signal?: AbortSignal): Promise<ListTracesResponse> =>
    request('list traces', `/api/v1/traces${toQuery(params)}`, ListTracesResponseSchema, { signal }),
  /**
   * Spans without their heavy fields: what the trace view needs for 10k+ spans. With `onHead`, a huge
   * trace's first spans are handed over as soon as they arrive, before the whole.
   */
  getTraceSkeleton: (
    traceId: string,
    signal?: AbortSignal,
    onHead?: (head: TraceSkeleton) => void,
  ): Promise<TraceSkeleton> => {
    const load = takePrefetched(traceId) ?? (onHead ? startSkeletonLines(traceId, signal) : undefined)
    if (!load) return loadSkeleton(traceId, signal)
    if (onHead) void load.head.then((head) => head && onHead(head))
    return load.whole
  },
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
