/**
 * Moves one sealed spool segment into the store. One insert per segment normally; when the store
 * refuses it for its rows' values, the segment is split in halves, recursively, until only the rows
 * the store refuses remain, and those alone go to quarantine (per project, with the reason).
 *
 * Crash safety: every insert carries a deduplication token that names its range (`<segment>` for
 * the whole, `<segment>:<from>-<to>` for a part). A segment replayed after a crash is refused again
 * for the same rows and split the same way, so the parts already stored are skipped by their
 * tokens, in `spans` and in the rollup views. That holds because a refused insert writes nothing:
 * the insert is one block (see INSERT_SETTINGS in db/store-dialect.ts, where the measurement is).
 */
import fs from 'node:fs'
import type { Store } from '../db/client.js'
import type { Logger } from '../logger.js'
import { readSegment, type SegmentBody } from './segment-format.js'
import { classifyStoreError, type StoreRefusal } from './store-refusal.js'
import type { Quarantine, RefusedRow } from './quarantine.js'
import type { Segment } from './spool.js'

/** The segment must be retried as a whole later (store down or busy); nothing was lost. */
export class RetryLater extends Error {
  constructor(readonly refusal: StoreRefusal) {
    super(`store insert failed: ${refusal.reason}`)
  }
}

export interface LoadResult {
  stored: number
  quarantined: number
}

/** Why a segment whose file cannot be read as rows at all is kept whole. */
const UNREADABLE_SEGMENT = 'UNREADABLE_SEGMENT'

export class SegmentLoader {
  constructor(
    private readonly store: Store,
    private readonly quarantine: Quarantine,
    private readonly isStoreUp: () => Promise<boolean>,
    private readonly logger: Logger,
  ) {}

  /** Stores what the store accepts and quarantines the rest; throws RetryLater to be called again. */
  async load(segment: Segment): Promise<LoadResult> {
    const data = await fs.promises.readFile(segment.file)
    let body: SegmentBody
    try {
      body = readSegment(data)
    } catch {
      const rows = [{ index: 0, line: data, reason: UNREADABLE_SEGMENT, name: UNREADABLE_SEGMENT }]
      await this.quarantine.keep(segment.id, Buffer.alloc(0), undefined, rows)
      return { stored: 0, quarantined: segment.rows }
    }
    const run = new RangeInserts(this.store, segment.id, body)
    // Nearly always stored whole, and then the spool's own count of its rows is the answer: counting
    // the lines of 16 MiB with one indexOf per line held the event loop ~2 µs a row (ingest bench).
    const refusal = await refusalOf(run.insertWhole())
    if (refusal === undefined) return { stored: segment.rows, quarantined: 0 }
    const refused: RefusedRow[] = []
    await this.afterRefusal(run, 0, run.rowCount, refusal, refused)
    if (refused.length > 0) await this.quarantine.keep(segment.id, body.header, body, refused)
    return { stored: run.rowCount - refused.length, quarantined: refused.length }
  }

  private async insertRange(run: RangeInserts, from: number, to: number, refused: RefusedRow[]): Promise<void> {
    const refusal = await refusalOf(run.insert(from, to))
    if (refusal !== undefined) await this.afterRefusal(run, from, to, refusal, refused)
  }

  private async afterRefusal(
    run: RangeInserts,
    from: number,
    to: number,
    refusal: StoreRefusal,
    refused: RefusedRow[],
  ): Promise<void> {
    if (refusal.kind === 'transient' || !(await this.isStoreUp())) throw new RetryLater(refusal)
    if (to - from > 1) {
      if (from === 0 && to === run.rowCount) {
        this.logger.warn('the store refused a spool segment; splitting it to find the rows it refuses', {
          segment: run.segmentId,
          rows: run.rowCount,
          reason: refusal.reason,
        })
      }
      const mid = from + Math.floor((to - from) / 2)
      await this.insertRange(run, from, mid, refused)
      await this.insertRange(run, mid, to, refused)
      return
    }
    // A lone row cannot hold "too many partitions": that refusal here means the store is behind on merges.
    if (refusal.kind === 'range') throw new RetryLater(refusal)
    refused.push({ index: from, line: run.line(from), reason: refusal.reason, name: refusal.name })
  }
}

/** What the store said when it refused the insert; undefined once it is stored. */
async function refusalOf(insert: Promise<void>): Promise<StoreRefusal | undefined> {
  try {
    await insert
    return undefined
  } catch (error) {
    return classifyStoreError(error)
  }
}

/** Inserts of line ranges of one segment body, each under its own deduplication token. */
class RangeInserts {
  /** Start offset of each line, plus the end: computed once, only for segments that need splitting. */
  private offsets: number[] | undefined

  constructor(
    private readonly store: Store,
    readonly segmentId: string,
    private readonly body: SegmentBody,
  ) {}

  get rowCount(): number {
    return this.lineOffsets().length - 1
  }

  /** Every line, under the segment's own token. */
  insertWhole(): Promise<void> {
    return this.write(this.body.rows, this.segmentId)
  }

  /** Lines [from, to) of a segment being split, under a token naming the range. */
  insert(from: number, to: number): Promise<void> {
    return this.write(this.body.rows.subarray(this.offset(from), this.offset(to)), `${this.segmentId}:${from}-${to}`)
  }

  private async write(rows: Buffer, token: string): Promise<void> {
    const body = this.body
    if (body.format === 'JSONEachRow') await this.store.insertJsonEachRow('spans', rows, token)
    else await this.store.insertValues('spans', body.columns, body.format, rows, token)
  }

  line(index: number): Buffer {
    return this.body.rows.subarray(this.offset(index), this.offset(index + 1))
  }

  private offset(index: number): number {
    return this.lineOffsets()[index]!
  }

  private lineOffsets(): number[] {
    if (!this.offsets) {
      const offsets = [0]
      for (let i = this.body.rows.indexOf(0x0a); i >= 0; i = this.body.rows.indexOf(0x0a, i + 1)) offsets.push(i + 1)
      this.offsets = offsets
    }
    return this.offsets
  }
}
