/**
 * Every OpenHands file shape we have real samples of, read into runs of current-format events
 * (openhands-schema.ts) so the converter knows one shape. A run's `history` is, by version:
 * - events `{id, timestamp, source, action|observation, …}` (evaluation outputs since late 2024,
 *   resolver outputs since 2025, recorded `tests/runtime/trajs/*.json` as a bare array);
 * - `[action, observation]` pairs of such events (`compatibility_for_eval_history_pairs`, written by
 *   evaluations and the resolver in mid-2024). The observation of a message is a `null` one without
 *   an id, which answers nothing and is dropped; an observation without `cause` answers its pair's action;
 * - bare events without `id`, `timestamp` or `source`, args and extras flattened into the event
 *   (resolver outputs of late 2024). Ids follow file order, each observation answers the action just
 *   before it, the first event is the user's task when it is a message and every other action is
 *   the agent's; times are synthesised one second apart from the base time, runs 1 s apart.
 * A file that fits none fails naming the first path that does not fit and what was expected there.
 */
import { z } from 'zod'
import { EventSchema, RunHeaderSchema, type Event, type Run } from './openhands-schema.js'
import { DEFAULT_BASE_MS, RUN_GAP_MS } from './timeline.js'
import { describeIssue, type ConvertOptions } from './types.js'

const NullObservationSchema = z.looseObject({ observation: z.literal('null') })
const PairSchema = z.tuple([EventSchema, z.union([EventSchema, NullObservationSchema])])
const BareEventSchema = z
  .looseObject({ action: z.string().optional(), observation: z.string().optional() })
  .refine((event) => event.action !== undefined || event.observation !== undefined, {
    message: 'expected an event with an `action` or `observation` key',
  })

type Pair = z.infer<typeof PairSchema>
type BareEvent = z.infer<typeof BareEventSchema>
type History =
  | { shape: 'events'; events: Event[] }
  | { shape: 'pairs'; pairs: Pair[] }
  | { shape: 'bare'; events: BareEvent[] }

const SYNTHETIC_STEP_MS = 1_000

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The runs of a parsed file: an array of runs (output.jsonl), one run object, or a bare event array. */
export function readOpenHandsRuns(data: unknown, opts: ConvertOptions): Run[] {
  const items = Array.isArray(data) ? data : [data]
  const fail = (issues: z.core.$ZodIssue[]) => describeIssue('openhands', opts.fileName, issues)
  if (!isObject(items[0]) || !('history' in items[0])) {
    const parsed = z.array(EventSchema).safeParse(items)
    if (!parsed.success) throw fail(parsed.error.issues)
    return [{ instance_id: opts.fileName.replace(/\.jsonl?$/i, ''), history: parsed.data }]
  }
  let clockMs = opts.baseTimeMs ?? DEFAULT_BASE_MS
  return items.map((item, index) => {
    const prefix = Array.isArray(data) ? [index] : []
    const header = RunHeaderSchema.safeParse(item)
    if (!header.success)
      throw fail(header.error.issues.map((issue) => ({ ...issue, path: [...prefix, ...issue.path] })))
    const history = parseHistory((item as Record<string, unknown>)['history'])
    if (!history.success)
      throw fail(history.error.issues.map((issue) => ({ ...issue, path: [...prefix, 'history', ...issue.path] })))
    if (history.data.shape !== 'bare') return { ...header.data, history: eventsOf(history.data) }
    const events = fromBare(history.data.events, clockMs)
    clockMs += history.data.events.length * SYNTHETIC_STEP_MS + RUN_GAP_MS
    return { ...header.data, history: events }
  })
}

function parseHistory(history: unknown) {
  const items = Array.isArray(history) ? history : []
  if (items.some(Array.isArray))
    return z
      .array(PairSchema)
      .transform((pairs): History => ({ shape: 'pairs', pairs }))
      .safeParse(history)
  if (items.length > 0 && items.every((e) => isObject(e) && !('id' in e) && !('timestamp' in e))) {
    return z
      .array(BareEventSchema)
      .transform((events): History => ({ shape: 'bare', events }))
      .safeParse(history)
  }
  return z
    .array(EventSchema)
    .transform((events): History => ({ shape: 'events', events }))
    .safeParse(history)
}

function eventsOf(history: Exclude<History, { shape: 'bare' }>): Event[] {
  if (history.shape === 'events') return history.events
  return history.pairs.flatMap(([action, observation]) => {
    if (!('id' in observation) || typeof observation.id !== 'number') return [action]
    return [action, { ...(observation as Event), cause: (observation as Event).cause ?? action.id }]
  })
}

function fromBare(events: BareEvent[], startMs: number): Event[] {
  let lastAction: number | undefined
  return events.map((raw, id) => {
    const timestamp = new Date(startMs + id * SYNTHETIC_STEP_MS).toISOString()
    if (raw.action !== undefined) {
      const { action, ...args } = raw
      lastAction = id
      return EventSchema.parse({
        id,
        timestamp,
        source: id === 0 && action === 'message' ? 'user' : 'agent',
        action,
        args,
      })
    }
    const { observation, content, ...extras } = raw
    return EventSchema.parse({
      id,
      timestamp,
      source: 'agent',
      observation,
      content: typeof content === 'string' ? content : undefined,
      cause: lastAction,
      extras,
    })
  })
}
