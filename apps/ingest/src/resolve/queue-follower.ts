/**
 * The resolver leader's reading of `resolve_queue` (migration 0026): the traces whose spans reached
 * the store through any replica, or that a price change asks to resolve again.
 *
 * Reading position: the queue is read in its order (store time of the insert, project, trace). A
 * row becomes visible a moment after the time it carries (the insert that wrote it commits after
 * the view computed it), so every poll reads again the last LAG_MS before its position and skips
 * what it has seen; a row late by more than that would be missed, and inserts here commit within
 * milliseconds of computing it.
 *
 * Durable cursor (`resolver_state` 'queue_cursor'): the leader saves a time before which every queued
 * trace has been resolved; a new leader (fail-over, restart) reads from there, so nothing queued
 * while no leader ran, or pending in a leader that died, is lost. Reading something twice only
 * resolves a trace again, which changes nothing when its spans did not change.
 */
import { chTime } from '../db/sql.js'
import type { QueueEntry, ResolutionRepository } from '../db/repositories/resolution.js'

const CURSOR = 'queue_cursor'
/** How far before its position each poll reads again. */
const LAG_MS = 5_000
const PAGE = 5_000
/** New entries taken per poll, so that a backlog after a fail-over is worked through in steps. */
const MAX_NEW_PER_POLL = 50_000

export class QueueFollower {
  /** Store time (ms) up to which the queue has been read (undefined: not following). */
  private positionMs: number | undefined
  private readonly seen = new Map<string, number>()
  private savedCursor = ''

  constructor(
    private readonly repository: Pick<ResolutionRepository, 'queued' | 'readState' | 'writeState' | 'storeNowMs'>,
  ) {}

  get following(): boolean {
    return this.positionMs !== undefined
  }

  /** Starts from the durable cursor, or from now when none was ever saved (history is the catch-up's). */
  async begin(): Promise<void> {
    const saved = await this.repository.readState(CURSOR)
    const savedMs = saved === undefined ? Number.NaN : Date.parse(`${saved.replace(' ', 'T')}Z`)
    this.positionMs = Number.isFinite(savedMs) ? savedMs : (await this.repository.storeNowMs()) - LAG_MS
    this.savedCursor = saved ?? ''
    this.seen.clear()
  }

  /** Stops following (leadership lost); `begin` starts again from the durable cursor. */
  end(): void {
    this.positionMs = undefined
    this.seen.clear()
  }

  /** Entries not returned before, in queue order, at most MAX_NEW_PER_POLL. */
  async poll(): Promise<QueueEntry[]> {
    if (this.positionMs === undefined) return []
    const since = chTime(Math.max(0, this.positionMs - LAG_MS))
    const fresh: QueueEntry[] = []
    let after: QueueEntry | undefined
    let position = this.positionMs
    for (;;) {
      const page = await this.repository.queued(since, after, PAGE)
      for (const entry of page) {
        position = Math.max(position, entry.insertedMs)
        const key = `${entry.projectId}\u0000${entry.traceId}\u0000${entry.insertedMs}\u0000${entry.reason}`
        if (this.seen.has(key)) continue
        this.seen.set(key, entry.insertedMs)
        fresh.push(entry)
      }
      if (page.length < PAGE || fresh.length >= MAX_NEW_PER_POLL) break
      after = page[page.length - 1]
    }
    if (this.positionMs === undefined) return [] // ended while reading
    this.positionMs = position
    for (const [key, insertedMs] of this.seen) if (insertedMs < position - 2 * LAG_MS) this.seen.delete(key)
    return fresh
  }

  /**
   * Saves the durable cursor: before the oldest entry still pending (`oldestPendingMs`, store time)
   * and before what was read, by LAG_MS.
   */
  async save(oldestPendingMs: number | undefined): Promise<void> {
    if (this.positionMs === undefined) return
    const cursor = chTime(Math.max(0, Math.min(this.positionMs, oldestPendingMs ?? Number.POSITIVE_INFINITY) - LAG_MS))
    if (cursor === this.savedCursor) return
    await this.repository.writeState(CURSOR, cursor)
    this.savedCursor = cursor
  }
}
