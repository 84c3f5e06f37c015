/**
 * A trace skeleton in columns (`GET /api/v1/traces/{id}/skeleton`): one array per field instead of
 * one object per span. At 100k spans the row form is ~50 MB of JSON text with every key repeated on
 * every span, which the server spends seconds serialising and gzipping and the browser seconds
 * parsing; columns of primitives parse in one fast pass, and repeated strings (names, agents,
 * models, parents) are sent once in a dictionary. Decoding gives back exactly the spans of
 * `?view=skeleton` (the heavy fields empty), so everything built on `Span` keeps working.
 *
 * Numbers are checked by a loop per array rather than a zod schema per element (zod over
 * 100k × 40 values costs more than the parse it guards); closed sets once per dictionary value.
 */
import { z } from 'zod'
import { ApiErrorSchema } from './api.js'
import { SpanKindSchema, SpanStatusSchema, type Span } from './span.js'
import { TraceSummarySchema } from './trace.js'

/** Low-cardinality (or shared) text fields: a dictionary plus an index per span. */
const DICT_FIELDS = [
  'traceId',
  'parentSpanId',
  'name',
  'kind',
  'status',
  'statusMessage',
  'errorType',
  'serviceName',
  'serviceVersion',
  'environment',
  'agentName',
  'operation',
  'model',
  'provider',
  'llmRole',
  'toolRole',
  'delegateTo',
  'costSource',
  'toolName',
  'toolCallId',
  'sessionId',
  'userId',
] as const satisfies readonly (keyof Span)[]
/** Unique per span: sent as plain string arrays. */
const TEXT_FIELDS = ['spanId', 'startTime', 'endTime'] as const satisfies readonly (keyof Span)[]
const NUMBER_FIELDS = [
  'durationMs',
  'inputTokens',
  'outputTokens',
  'cachedInputTokens',
  'cacheWriteTokens',
  'reasoningTokens',
] as const satisfies readonly (keyof Span)[]
/** 0/1 per span. */
const FLAG_FIELDS = [
  'isLlmCall',
  'isDelegation',
  'failed',
  'failureInferred',
  'isUnpriced',
] as const satisfies readonly (keyof Span)[]

const every =
  <T>(test: (x: unknown) => boolean) =>
  (v: unknown): v is T[] =>
    Array.isArray(v) && v.every(test)
const isNumber = (x: unknown) => typeof x === 'number'
const numbers = z.custom<number[]>(every<number>(isNumber), 'expected an array of numbers')
const costs = z.custom<Array<number | null>>(
  every<number | null>((x) => x === null || isNumber(x)),
  'expected an array of numbers and nulls',
)

/**
 * Per-span text as one string, each value followed by a newline: one JSON string parses far faster
 * than 100k small ones, and `split` is a single pass. Values never hold a newline (ids, ISO times).
 */
const lines = z.string().transform((text) => {
  const parts = text.split('\n')
  parts.pop()
  return parts
})
/** 0/1 per span as the characters `0` and `1`. */
const bits = z.string().regex(/^[01]*$/, 'expected 0 and 1 characters')

/**
 * A dictionary index per span, packed as `indexWidth(values)` characters per span from a 64-letter
 * ASCII alphabet (base64url's, big-endian digits; JSON carries it unescaped); left out when every
 * span has the dictionary's only value. ASCII keeps the whole response one-byte text: with one
 * character per span above U+00FF (the packing before), Chromium decoded the body to UTF-16 and
 * parsed two-byte JSON (a 10k-span trace: ~165 ms of main thread receiving and decoding the body,
 * ~65 ms after; JSON.parse at 100k spans 971 → 578 ms, BENCHMARKS.md "Console").
 */
const INDEX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
/** Character code → digit + 1 (0: not in the alphabet), over every UTF-16 code: one lookup per character. */
const INDEX_DIGIT = new Uint8Array(0x10000)
for (let d = 0; d < INDEX_ALPHABET.length; d++) INDEX_DIGIT[INDEX_ALPHABET.charCodeAt(d)] = d + 1

/** Characters per span for a dictionary of `size` values (one up to 64, two up to 4,096, …). */
function indexWidth(size: number): number {
  let width = 1
  for (let capacity = 64; capacity < size; capacity *= 64) width++
  return width
}

/**
 * The packed index → one number per span, or undefined for a character outside the alphabet, a
 * partial last index or an index past the dictionary. Runs once per dictionary column on the
 * browser's critical path: width 1 (most columns) has its own loop.
 */
function unpackIndex(packed: string, size: number): Uint32Array | undefined {
  const width = indexWidth(size)
  if (packed.length % width !== 0) return undefined
  const out = new Uint32Array(packed.length / width)
  if (width === 1) {
    for (let i = 0; i < out.length; i++) {
      const digit = INDEX_DIGIT[packed.charCodeAt(i)]!
      if (digit === 0 || digit > size) return undefined
      out[i] = digit - 1
    }
    return out
  }
  for (let i = 0, at = 0; i < out.length; i++) {
    let value = 0
    for (let k = 0; k < width; k++, at++) {
      const digit = INDEX_DIGIT[packed.charCodeAt(at)]!
      if (digit === 0) return undefined
      value = value * 64 + digit - 1
    }
    if (value >= size) return undefined
    out[i] = value
  }
  return out
}

function packIndex(index: readonly number[], size: number): string {
  const width = indexWidth(size)
  const codes = new Uint8Array(index.length * width)
  for (let i = 0; i < index.length; i++) {
    let value = index[i]!
    for (let k = width - 1; k >= 0; k--, value = Math.floor(value / 64))
      codes[i * width + k] = INDEX_ALPHABET.charCodeAt(value % 64)
  }
  return ASCII.decode(codes)
}
const ASCII = new TextDecoder()

const dictColumn = <V extends z.ZodType>(value: V) =>
  z
    .object({ values: z.array(value), index: z.string().optional() })
    .strict()
    .transform((col, ctx) => {
      if (col.index === undefined) return { values: col.values }
      const index = unpackIndex(col.index, col.values.length)
      if (index) return { values: col.values, index }
      ctx.addIssue({ code: 'custom', path: ['index'], message: 'index not packed for its dictionary, or past it' })
      return z.NEVER
    })
const DictColumnSchema = dictColumn(z.string())
export type DictColumn = z.output<typeof DictColumnSchema>
const FlagSetColumnSchema = dictColumn(z.array(z.string()))

export const SpanColumnsSchema = z
  .object({
    count: z.number().int().nonnegative(),
    ...fieldsOf(TEXT_FIELDS, lines),
    ...fieldsOf(DICT_FIELDS, DictColumnSchema),
    ...fieldsOf(NUMBER_FIELDS, numbers),
    ...fieldsOf(FLAG_FIELDS, bits),
    costUsd: costs,
    flags: FlagSetColumnSchema,
  })
  .strict()
  .superRefine((c, ctx) => {
    const dicts = [...DICT_FIELDS.map((f) => [f, c[f]] as const), ['flags', c.flags] as const]
    const lengths: Array<[string, number]> = [
      ...TEXT_FIELDS.map((f) => [f, c[f].length] as [string, number]),
      ...NUMBER_FIELDS.map((f) => [f, c[f].length] as [string, number]),
      ...FLAG_FIELDS.map((f) => [f, c[f].length] as [string, number]),
      ['costUsd', c.costUsd.length],
    ]
    for (const [field, length] of lengths)
      if (length !== c.count)
        ctx.addIssue({ code: 'custom', path: [field], message: `${length} values for ${c.count} spans` })
    for (const [field, col] of dicts) {
      if (col.index === undefined ? col.values.length !== 1 && c.count > 0 : col.index.length !== c.count)
        ctx.addIssue({ code: 'custom', path: [field], message: `index does not cover the ${c.count} spans` })
    }
    // Closed sets are checked once per distinct value, not per span.
    for (const v of c.kind.values)
      if (!SpanKindSchema.safeParse(v).success)
        ctx.addIssue({ code: 'custom', path: ['kind'], message: `unknown kind ${v}` })
    for (const v of c.status.values)
      if (!SpanStatusSchema.safeParse(v).success)
        ctx.addIssue({ code: 'custom', path: ['status'], message: `unknown status ${v}` })
    for (const v of c.llmRole.values)
      if (!LLM_ROLES.has(v)) ctx.addIssue({ code: 'custom', path: ['llmRole'], message: `unknown role ${v}` })
    for (const v of c.toolRole.values)
      if (!TOOL_ROLES.has(v)) ctx.addIssue({ code: 'custom', path: ['toolRole'], message: `unknown role ${v}` })
  })
/** What the browser holds after validation. */
export type SpanColumns = z.output<typeof SpanColumnsSchema>
/** What goes over the wire. */
export type SpanColumnsWire = z.input<typeof SpanColumnsSchema>

export const TraceSkeletonResponseSchema = z.object({ trace: TraceSummarySchema, spans: SpanColumnsSchema }).strict()
export type TraceSkeletonResponse = z.output<typeof TraceSkeletonResponseSchema>
export type TraceSkeletonResponseWire = z.input<typeof TraceSkeletonResponseSchema>

/** `GET …/skeleton?head=N`: how many spans the first line may hold at most. */
export const SKELETON_HEAD_MAX = 5_000
/**
 * The `head` the trace view asks for: several screens of rows (a screen shows ~40), read and drawn in tens
 * of milliseconds where a 100k-span trace's whole skeleton takes seconds. A head of 1,000 took ~20 ms more
 * to read and resolve on the server and 10–40 ms more to parse and build in the browser (2-core bench
 * machine, 10k-span traces), rows nobody sees before the whole arrives. A deep link's preload names the same URL.
 */
export const TRACE_VIEW_HEAD_SPANS = 300
export const TraceSkeletonQuerySchema = z
  .object({ head: z.coerce.number().int().min(1).max(SKELETON_HEAD_MAX).optional() })
  .strict()

/**
 * A line of `GET …/skeleton?head=N` (application/x-ndjson), which lets a page draw a huge trace's first
 * rows while the server still reads the rest: at most one `head` (the first N spans by start time,
 * resolved among themselves, under the trace's stored summary), then the `whole` skeleton; or, when
 * reading the whole failed after the head was sent, an `error` instead of it.
 */
export const TraceSkeletonLineSchema = z.discriminatedUnion('part', [
  TraceSkeletonResponseSchema.extend({ part: z.literal('head') }),
  TraceSkeletonResponseSchema.extend({ part: z.literal('whole') }),
  ApiErrorSchema.extend({ part: z.literal('error') }).strict(),
])
export type TraceSkeletonLine = z.output<typeof TraceSkeletonLineSchema>
export type TraceSkeletonLineWire = z.input<typeof TraceSkeletonLineSchema>

const LLM_ROLES = new Set<string>(['call', 'aggregate', 'none'])
const TOOL_ROLES = new Set<string>(['call', 'part', 'none'])

function fieldsOf<const K extends string, S extends z.ZodType>(keys: readonly K[], schema: S): Record<K, S> {
  return Object.fromEntries(keys.map((k) => [k, schema])) as Record<K, S>
}

/** `key`: what makes two values the same (the values themselves, strings, when not given). */
function dictionary<T>(values: readonly T[], key?: (v: T) => string): { values: T[]; index?: string } {
  const positions = new Map<string, number>()
  const out: T[] = []
  const index = new Array<number>(values.length)
  // Neighbouring spans mostly share a value (a service, an agent, no model): a run skips the lookup.
  let previous: T | undefined
  let at = -1
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!
    if (at < 0 || value !== previous) {
      const k = key ? key(value) : (value as string)
      const found = positions.get(k)
      if (found === undefined) {
        at = out.length
        positions.set(k, at)
        out.push(value)
      } else at = found
      previous = value
    }
    index[i] = at
  }
  return out.length === 1 ? { values: out } : { values: out, index: packIndex(index, out.length) }
}

function joinLines(values: readonly string[]): string {
  if (values.some((v) => v.includes('\n'))) throw new Error('a per-span text value holds a newline')
  return values.length === 0 ? '' : `${values.join('\n')}\n`
}

/** The fields a skeleton carries (the heavy ones are not: a skeleton has them empty). */
export type SpanColumnField =
  | (typeof DICT_FIELDS)[number]
  | (typeof TEXT_FIELDS)[number]
  | (typeof NUMBER_FIELDS)[number]
  | (typeof FLAG_FIELDS)[number]
  | 'costUsd'
  | 'flags'
/** Every value of one field, span by span. */
export type FieldValues = <K extends SpanColumnField>(field: K) => ReadonlyArray<Span[K]>

/** Skeleton spans → columns. */
export function encodeSpanColumns(spans: readonly Span[]): SpanColumnsWire {
  return encodeFieldValues(spans.length, (field) => spans.map((s) => s[field]))
}

/**
 * `count` spans given field by field → columns: a caller that holds its spans in columns already (the
 * server's trace reader) encodes them without building a span object each.
 */
export function encodeFieldValues(count: number, valuesOf: FieldValues): SpanColumnsWire {
  const values: FieldValues = (field) => {
    const out = valuesOf(field)
    if (out.length !== count) throw new Error(`${field}: ${out.length} values for ${count} spans`)
    return out
  }
  const columns = {
    count,
    costUsd: [...values('costUsd')],
    flags: dictionary(values('flags'), (f) => f.join('\u0000')),
  } as Record<string, unknown>
  for (const f of TEXT_FIELDS) columns[f] = joinLines(values(f))
  for (const f of DICT_FIELDS) columns[f] = dictionary(values(f))
  for (const f of NUMBER_FIELDS) columns[f] = [...values(f)]
  // One byte per span, decoded once: `bits += …` built a 100k-piece rope per flag.
  const bits = new Uint8Array(count)
  for (const f of FLAG_FIELDS) {
    const on = values(f)
    for (let i = 0; i < count; i++) bits[i] = on[i] ? ONE : ZERO
    columns[f] = ASCII.decode(bits)
  }
  return columns as SpanColumnsWire
}

const ONE = '1'.charCodeAt(0)
const ZERO = '0'.charCodeAt(0)

/**
 * Columns → skeleton spans, `from` to `to` (all by default): a caller can turn the first screen of
 * spans into objects before the rest. One object shape for every span keeps the engine's fast path.
 */
export function decodeSpanColumns(c: SpanColumns, from = 0, to = c.count): Span[] {
  const d = (col: DictColumn, i: number) => col.values[col.index ? col.index[i]! : 0]!
  const on = (bits: string, i: number) => bits.charCodeAt(i) === ONE
  const out = new Array<Span>(Math.max(0, to - from))
  for (let i = from; i < to; i++) {
    out[i - from] = {
      traceId: d(c.traceId, i),
      spanId: c.spanId[i]!,
      parentSpanId: d(c.parentSpanId, i),
      name: d(c.name, i),
      kind: d(c.kind, i) as Span['kind'],
      startTime: c.startTime[i]!,
      endTime: c.endTime[i]!,
      durationMs: c.durationMs[i]!,
      status: d(c.status, i) as Span['status'],
      statusMessage: d(c.statusMessage, i),
      errorType: d(c.errorType, i),
      serviceName: d(c.serviceName, i),
      serviceVersion: d(c.serviceVersion, i),
      environment: d(c.environment, i),
      agentName: d(c.agentName, i),
      operation: d(c.operation, i),
      model: d(c.model, i),
      provider: d(c.provider, i),
      isLlmCall: on(c.isLlmCall, i),
      llmRole: d(c.llmRole, i) as Span['llmRole'],
      toolRole: d(c.toolRole, i) as Span['toolRole'],
      isDelegation: on(c.isDelegation, i),
      delegateTo: d(c.delegateTo, i),
      failed: on(c.failed, i),
      failureInferred: on(c.failureInferred, i),
      inputTokens: c.inputTokens[i]!,
      outputTokens: c.outputTokens[i]!,
      cachedInputTokens: c.cachedInputTokens[i]!,
      cacheWriteTokens: c.cacheWriteTokens[i]!,
      reasoningTokens: c.reasoningTokens[i]!,
      costUsd: c.costUsd[i]!,
      costSource: d(c.costSource, i),
      isUnpriced: on(c.isUnpriced, i),
      toolName: d(c.toolName, i),
      toolCallId: d(c.toolCallId, i),
      toolArguments: '',
      toolResult: '',
      input: '',
      output: '',
      sessionId: d(c.sessionId, i),
      userId: d(c.userId, i),
      attributes: {},
      resourceAttributes: {},
      events: [],
      flags: [...c.flags.values[c.flags.index ? c.flags.index[i]! : 0]!],
    }
  }
  return out
}
