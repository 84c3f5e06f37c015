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

/** Reads a zod parse failure as one line naming the path, for "this is not a <format> file" errors. */
export function describeIssue(format: Format, fileName: string, issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): Error {
  const first = issues[0]
  const where = first ? first.path.map(String).join('.') || '(root)' : '(root)'
  return new Error(`${fileName}: not a ${format} file: ${where}: ${first?.message ?? 'invalid'}`)
}
