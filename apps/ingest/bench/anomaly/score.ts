import type { EventType, InjectedEvent } from './generator.js'

/**
 * Event-level scoring (design note §1.4): alarms of one series are merged into episodes when less
 * than 5 minutes apart; an alarm episode is a true positive when it starts inside an event's
 * window [start − 2 min, end + 10 min] and its metric is the event's metric; an event is
 * detected when such an alarm comes before the event type's deadline. Delay = alarm time
 * (notification, i.e. after confirmation) − event start.
 */
export interface Alarm {
  series: string
  metric: string
  startMs: number
  endMs: number
}

export interface TierScore {
  alarms: number
  truePositives: number
  events: number
  detected: number
  delaysMin: number[]
  falseAlarms: number
  seriesDays: number
}

const MIN = 60_000
const MERGE_GAP = 5 * MIN

const METRICS: Record<EventType, readonly string[]> = {
  spike: ['cost', 'tokens'],
  level_shift: ['cost', 'tokens'],
  latency: ['latency_p95'],
  errors: ['error_rate'],
}

/** Level shifts last hours: they must be caught within 2 h; bursts within their TP window. */
function deadlineMs(event: InjectedEvent): number {
  return event.type === 'level_shift'
    ? Math.min(event.endMs, event.startMs + 120 * MIN) + 10 * MIN
    : event.endMs + 10 * MIN
}

export function mergeAlarms(alarms: readonly Alarm[]): Alarm[] {
  const sorted = [...alarms].sort((a, b) => a.startMs - b.startMs)
  const merged: Alarm[] = []
  for (const alarm of sorted) {
    const last = merged[merged.length - 1]
    if (last && alarm.startMs - last.endMs <= MERGE_GAP && sameClass(last.metric, alarm.metric))
      last.endMs = Math.max(last.endMs, alarm.endMs)
    else merged.push({ ...alarm })
  }
  return merged
}

const classOf = (metric: string) => (metric === 'tokens' ? 'cost' : metric)
const sameClass = (a: string, b: string) => classOf(a) === classOf(b)

export function scoreSeries(alarms: readonly Alarm[], events: readonly InjectedEvent[], seriesDays: number): TierScore {
  const merged = mergeAlarms(alarms)
  const inWindow = (a: Alarm, e: InjectedEvent) =>
    METRICS[e.type].includes(a.metric) && a.startMs >= e.startMs - 2 * MIN && a.startMs <= e.endMs + 10 * MIN
  const truePositives = merged.filter((a) => events.some((e) => inWindow(a, e))).length
  const delaysMin: number[] = []
  let detected = 0
  for (const event of events) {
    const first = merged
      .filter((a) => inWindow(a, event) && a.startMs <= deadlineMs(event))
      .sort((a, b) => a.startMs - b.startMs)[0]
    if (!first) continue
    detected++
    delaysMin.push(Math.max(0, (first.startMs - event.startMs) / MIN))
  }
  return {
    alarms: merged.length,
    truePositives,
    events: events.length,
    detected,
    delaysMin,
    falseAlarms: merged.length - truePositives,
    seriesDays,
  }
}

export function addScores(a: TierScore, b: TierScore): TierScore {
  return {
    alarms: a.alarms + b.alarms,
    truePositives: a.truePositives + b.truePositives,
    events: a.events + b.events,
    detected: a.detected + b.detected,
    delaysMin: [...a.delaysMin, ...b.delaysMin],
    falseAlarms: a.falseAlarms + b.falseAlarms,
    seriesDays: a.seriesDays + b.seriesDays,
  }
}

export const emptyScore = (): TierScore => ({
  alarms: 0,
  truePositives: 0,
  events: 0,
  detected: 0,
  delaysMin: [],
  falseAlarms: 0,
  seriesDays: 0,
})
