/**
 * Shared bits of the edge tests: OTLP POSTs with the corpus naming rules, and read-back through
 * the public query API (never the store), so the tests see what a user sees.
 */
import type { GetTraceResponse, ListTracesResponse, Span, TraceSummary } from '@sightline/schema'

import { CORPUS_DIR, readCorpus } from '@sightline/testkit/corpus'

export interface PostResult {
  status: number
  contentType: string
  headers: Headers
  body: Buffer
}

/** `.json` → JSON, `.pb` → protobuf, `.gz` → also gzip. */
export function encodingOf(file: string): { contentType: string; gzip: boolean } {
  const gzip = file.endsWith('.gz')
  const bare = gzip ? file.slice(0, -3) : file
  return { contentType: bare.endsWith('.pb') ? 'application/x-protobuf' : 'application/json', gzip }
}

export function authFor(apiKey: string): Record<string, string> {
  return { Authorization: `Bearer ${apiKey}` }
}

export async function postOtlp(
  url: string,
  body: Uint8Array | string,
  headers: Record<string, string>,
): Promise<PostResult> {
  const res = await fetch(`${url}/v1/traces`, { method: 'POST', body, headers })
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    headers: res.headers,
    body: Buffer.from(await res.arrayBuffer()),
  }
}

export async function postCorpusFile(
  url: string,
  file: string,
  apiKey: string,
  dir: URL = CORPUS_DIR,
): Promise<PostResult> {
  const { contentType, gzip } = encodingOf(file)
  const headers: Record<string, string> = { 'Content-Type': contentType, ...authFor(apiKey) }
  if (gzip) headers['Content-Encoding'] = 'gzip'
  return postOtlp(url, readCorpus(file, dir), headers)
}

export async function apiGet<T>(
  url: string,
  pathAndQuery: string,
  apiKey: string,
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${pathAndQuery}`, { headers: authFor(apiKey) })
  return { status: res.status, body: (await res.json()) as T }
}

/** Every trace of the project (all pages), with its spans. */
export async function readProject(url: string, apiKey: string): Promise<{ traces: TraceSummary[]; spans: Span[] }> {
  const traces: TraceSummary[] = []
  let cursor: string | null = null
  do {
    const after: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''
    const query = `/api/v1/traces?from=2000-01-01T00:00:00Z&limit=500${after}`
    const page = await apiGet<ListTracesResponse>(url, query, apiKey)
    if (page.status !== 200) throw new Error(`list traces answered ${page.status}: ${JSON.stringify(page.body)}`)
    traces.push(...page.body.traces)
    cursor = page.body.nextCursor
  } while (cursor)
  const spans: Span[] = []
  for (const trace of traces) {
    const detail = await apiGet<GetTraceResponse>(url, `/api/v1/traces/${trace.traceId}`, apiKey)
    if (detail.status !== 200) throw new Error(`get trace ${trace.traceId} answered ${detail.status}`)
    spans.push(...detail.body.spans)
  }
  return { traces, spans }
}

export const sumOf = <T>(items: T[], pick: (item: T) => number) => items.reduce((n, item) => n + pick(item), 0)
export const distinct = (values: string[]) => [...new Set(values.filter((v) => v !== ''))].sort()

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
