import type { ExportTraceServiceRequest } from './otlp.js'

export const FORMATS = ['tau-bench', 'swe-agent', 'openhands'] as const
export type Format = (typeof FORMATS)[number]

export interface ConvertOptions {
  /** Base name of the source file; part of every id seed, so the same file dedups wherever it lives. */
  fileName: string
  /** Base time for synthesised timestamps (ms since epoch); formats with real timestamps ignore it. */
  baseTimeMs?: number
  /** Convert only the first N runs of the file. */
  limit?: number
}

/** A converter takes the parsed file (JSON value, or the array of JSONL lines) and returns one OTLP request. */
export type Converter = (data: unknown, opts: ConvertOptions) => ExportTraceServiceRequest

interface ParseIssue {
  path: PropertyKey[]
  message: string
  code?: string
  errors?: ParseIssue[][]
}

/**
 * Reads a zod parse failure as one line naming the path and what was expected there, for "this is
 * not a <format> file" errors. A union that matched no branch is explained by the branch that got
 * furthest into the data, never by the union's bare "Invalid input".
 */
export function describeIssue(format: Format, fileName: string, issues: ReadonlyArray<ParseIssue>): Error {
  const first = issues[0] === undefined ? undefined : deepestIssue(issues[0])
  const where = first ? formatPath(first.path) : '(root)'
  return new Error(`${fileName}: not a ${format} file: ${where}: ${first?.message ?? 'invalid'}`)
}

function deepestIssue(issue: ParseIssue): ParseIssue {
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return issue
  const candidates = issue.errors.flatMap((branch) => (branch[0] ? [deepestIssue(branch[0])] : []))
  const furthest = candidates.reduce<ParseIssue | undefined>(
    (best, c) => (best === undefined || c.path.length > best.path.length ? c : best),
    undefined,
  )
  return furthest === undefined ? issue : { ...furthest, path: [...issue.path, ...furthest.path] }
}

/** `[0, 'history', 3, 'timestamp']` -> `[0].history[3].timestamp`. */
function formatPath(path: ReadonlyArray<PropertyKey>): string {
  const text = path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('')
  return text.replace(/^\./, '') || '(root)'
}
