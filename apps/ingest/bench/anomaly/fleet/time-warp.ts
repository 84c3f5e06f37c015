/**
 * Demo time on the server's clock. The fleet runs `1 / DEMO_TIME_SCALE` times faster than real time
 * (every simulated delay is scaled), so its spans carry compressed wall-clock times; the detector
 * needs the timeline the demo simulates (a 5-minute cost spike must span 5 minutes of buckets).
 * The warp stretches every span's times around the moment traffic started and moves them to an
 * anchor: `stored = anchor + (real − realStart) / scale`, durations divided by `scale` alike.
 * Real processing time is stretched too (3 ms of HTTP overhead reads as 60 ms at 0.05), the same
 * for every release and scenario, so comparisons between them hold.
 */
import type { SpanRowInsert } from '@sightline/schema'
import type { SpanWriter } from '../../../src/ingest/writer.js'

export interface TimeWarp {
  /** Wall-clock ms at which the fleet's demo time starts (the traffic generator reports it). */
  realStartMs: number
  /** Stored time of that instant. */
  anchorMs: number
  /** DEMO_TIME_SCALE: real ms per demo ms. */
  scale: number
}

export const warpMs = (warp: TimeWarp, realMs: number): number =>
  warp.anchorMs + (realMs - warp.realStartMs) / warp.scale

/** `YYYY-MM-DD hh:mm:ss.fffffffff` (DateTime64(9) text, UTC) ↔ epoch ms with a fraction. */
function textToMs(text: string): number {
  const whole = Date.parse(`${text.slice(0, 19).replace(' ', 'T')}Z`)
  return whole + Number(`0.${text.slice(20) || '0'}`) * 1000
}

function msToText(ms: number): string {
  const whole = Math.floor(ms / 1000)
  const nanos = Math.round((ms - whole * 1000) * 1e6)
  return (
    `${new Date(whole * 1000).toISOString().slice(0, 19).replace('T', ' ')}.` +
    `${String(Math.min(nanos, 999_999_999)).padStart(9, '0')}`
  )
}

export function warpRow(row: SpanRowInsert, warp: TimeWarp): SpanRowInsert {
  return {
    ...row,
    start_time: msToText(warpMs(warp, textToMs(row.start_time))),
    end_time: msToText(warpMs(warp, textToMs(row.end_time))),
    duration_ms: row.duration_ms / warp.scale,
  }
}

/**
 * Every span the server accepts from now on is warped with `current()`, in the writer's synchronous
 * preparation step (after normalisation, before the spool). Spans arriving while `current()` is
 * undefined are stored as they came and counted in `unwarped`.
 */
export function installTimeWarp(writer: SpanWriter, current: () => TimeWarp | undefined): { unwarped: () => number } {
  const prepare = writer.prepare.bind(writer)
  let unwarped = 0
  writer.prepare = (rows) => {
    const warp = current()
    if (!warp) unwarped += rows.length
    return prepare(warp ? rows.map((row) => warpRow(row, warp)) : rows)
  }
  return { unwarped: () => unwarped }
}
