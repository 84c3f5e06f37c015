import fs from 'node:fs'
import path from 'node:path'
import type { SpanRowInsert } from '@sightline/schema'
import { overloaded } from '../errors.js'
import type { Logger } from '../logger.js'
import type { Metrics } from '../metrics.js'
import type { Store } from '../db/client.js'
import type { QuarantineRepository } from '../db/repositories/quarantine.js'
import { pingStore } from '../db/ping.js'
import { spanKey, tracesOfSpanKeys, type EncodedRows } from './encoded-rows.js'
import { Quarantine } from './quarantine.js'
import { encodeSpanRows, readSegment, SPAN_SEGMENT_HEADER, traceKeysOf } from './segment-format.js'
import { RetryLater, SegmentLoader } from './segment-loader.js'
import { RecentSpans } from './recent-spans.js'
import { Spool, type Segment } from './spool.js'

/** Rows ready for the spool: their encoded lines and span keys. */
export interface PreparedBatch {
  readonly data: Buffer
  readonly keys: readonly string[]
  /** The traces the rows belong to (`project\0trace`), told to the resolver once the rows are stored. */
  readonly traceKeys: readonly string[]
  /** Spans dropped as retries of spans already durable, or repeats within the batch. */
  readonly duplicates: number
}

export interface WriterOptions {
  spoolDir: string
  maxSpoolBytes: number
  segmentBytes: number
  segmentMaxAgeMs: number
}

/**
 * Batching writer. `write()` resolves once the rows are durable in the spool; loaders move sealed
 * segments into the store, oldest first, one insert per segment (large batches are what chDB likes),
 * two at once only while the store is behind (LOADERS), retrying with back-off while it is slow or
 * down. A segment the store refuses for some of its rows is split until only those rows are left,
 * and they alone are quarantined (segment-loader.ts). Past `maxSpoolBytes` of unloaded data, writes
 * are refused with 503 + Retry-After, which OTLP exporters retry.
 */
export class SpanWriter {
  private readonly spool: Spool
  /** Sealed segments no loader has taken yet, oldest first. */
  private readonly waiting: Segment[] = []
  /** Loads in progress (at most LOADERS). */
  private active = 0
  private queuedBytes = 0
  private openBytes = 0
  private idleWaiters: Array<() => void> = []
  private stopped = false
  private consecutiveFailures = 0
  private readonly recent = new RecentSpans(200_000)
  /** Told which traces a stored segment held (the trace resolver listens). */
  onStored: ((traceKeys: ReadonlySet<string>) => void) | undefined
  private readonly loader: SegmentLoader

  constructor(
    private readonly store: Store,
    private readonly options: WriterOptions,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    quarantineIndex: QuarantineRepository,
  ) {
    const quarantine = new Quarantine(path.join(options.spoolDir, 'quarantine'), quarantineIndex, metrics, logger)
    this.loader = new SegmentLoader(store, quarantine, () => this.storeIsUp(), logger)
    this.spool = new Spool({
      dir: options.spoolDir,
      header: SPAN_SEGMENT_HEADER,
      segmentBytes: options.segmentBytes,
      segmentMaxAgeMs: options.segmentMaxAgeMs,
      onSealed: (segment) => this.enqueue(segment),
      isLoaderIdle: () => this.waiting.length === 0 && this.active === 0,
      onCommit: (seconds) => metrics.spoolCommitSeconds.observe(seconds),
    })
  }

  /** Opens the spool and replays what a previous run acknowledged but had not stored yet. */
  async start(): Promise<void> {
    const leftovers = await this.spool.open()
    if (leftovers.length > 0) {
      this.logger.info('replaying spooled spans', {
        segments: leftovers.length,
        rows: leftovers.reduce((n, s) => n + s.rows, 0),
      })
    }
    leftovers.forEach((segment) => this.enqueue(segment))
  }

  /** Bytes acknowledged but not yet in the store. */
  get depthBytes(): number {
    return this.queuedBytes + this.openBytes
  }

  /**
   * Sealed segments wait, or needed a second loader: the store is not keeping up. (Merely
   * inserting is not enough: under a trickle on a loaded machine the loader is busy most of the time,
   * and deferring then would hold every answer, and the detection that reads them, back by the bound.)
   */
  get backlogged(): boolean {
    return this.waiting.length > 0 || this.active > 1
  }

  get isHealthy(): boolean {
    return this.consecutiveFailures === 0
  }

  /** Resolves once the rows are durable; spans acknowledged recently are dropped as retries. */
  write(rows: SpanRowInsert[]): Promise<void> {
    return this.append(this.prepare(rows))
  }

  /**
   * The synchronous half of a write: drops retries and encodes the rest. What it returns holds no
   * row objects, so nothing from the decoded request outlives it: kept alive across the fsync they
   * were promoted out of the young generation and made the old-generation collections that
   * stretched acknowledgements (BENCHMARKS.md, "What changed on 2026-12-04", step 6).
   */
  prepare(all: SpanRowInsert[]): PreparedBatch {
    const { rows, keys } = this.withoutRecent(all)
    return { data: encodeSpanRows(rows), keys, traceKeys: tracesOfSpanKeys(keys), duplicates: all.length - rows.length }
  }

  /** `prepare` for rows a decode worker already encoded: retries are dropped as whole lines. */
  prepareEncoded({ data, lineEnds, keys }: EncodedRows): PreparedBatch {
    const kept: string[] = []
    const parts: Buffer[] = []
    const seen = new Set<string>()
    let start = 0
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!
      const end = lineEnds[i]!
      if (!this.recent.has(key) && !seen.has(key)) {
        seen.add(key)
        kept.push(key)
        parts.push(data.subarray(start, end))
      }
      start = end
    }
    const keptData = kept.length === keys.length ? data : Buffer.concat(parts)
    return { data: keptData, keys: kept, traceKeys: tracesOfSpanKeys(kept), duplicates: keys.length - kept.length }
  }

  /** Throws the overload error (503 + Retry-After) while the spool is full, before any work is done. */
  assertAccepting(): void {
    if (this.depthBytes >= this.options.maxSpoolBytes) {
      this.metrics.overloadRejections.inc()
      throw overloaded('The span spool is full while the store catches up; retry later.', this.retryAfterSeconds())
    }
  }

  /** Resolves once the batch is fsynced in the spool. */
  async append(batch: PreparedBatch): Promise<void> {
    if (batch.duplicates > 0) this.metrics.duplicateSpans.inc(batch.duplicates)
    if (batch.keys.length === 0) return
    this.assertAccepting()
    const { data, keys } = batch
    this.openBytes += data.length
    try {
      await this.spool.append(data, keys.length, batch.traceKeys)
    } catch (error) {
      this.openBytes -= data.length
      this.logger.error('spool append failed', { err: error })
      // A disk problem is transient from the exporter's side: 503 makes it retry, not drop.
      throw overloaded('The span spool could not take the batch; retry later.', 5)
    }
    keys.forEach((key) => this.recent.add(key))
    this.metrics.spoolDepthBytes.set(this.depthBytes)
  }

  /**
   * Drops spans already durable (a retry) and repeats within the batch. A copy that arrives while
   * the first is still being fsynced is written again: the spans table collapses it, and an early
   * acknowledgement of a span that might yet fail to persist would be worse.
   */
  private withoutRecent(all: SpanRowInsert[]): { rows: SpanRowInsert[]; keys: string[] } {
    const kept = new Set<string>()
    const rows = all.filter((row) => {
      const key = spanKey(row)
      if (this.recent.has(key) || kept.has(key)) return false
      kept.add(key)
      return true
    })
    return { rows, keys: [...kept] }
  }

  /** Resolves when everything acknowledged so far is in the store (tests, shutdown). */
  async drain(): Promise<void> {
    await this.spool.sealNow()
    if (this.active === 0 && this.waiting.length === 0) return
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve))
  }

  /** Flushes the spool to the store if it can; what it cannot store stays spooled for the next start. */
  async stop(timeoutMs = 10_000): Promise<void> {
    await this.spool.close()
    const drained = this.drain()
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())])
    this.stopped = true
  }

  private enqueue(segment: Segment): void {
    this.waiting.push(segment)
    this.queuedBytes += segment.bytes
    this.openBytes = Math.max(0, this.openBytes - segment.bytes)
    this.metrics.spoolDepthBytes.set(this.depthBytes)
    this.startLoaders()
  }

  /** The first loader starts at once; a second only for a segment that would otherwise wait. */
  private startLoaders(): void {
    while (this.active < LOADERS && this.waiting.length > 0 && !this.stopped) {
      this.active += 1
      void this.loadLoop()
    }
  }

  private async loadLoop(): Promise<void> {
    while (this.waiting.length > 0 && !this.stopped) {
      const segment = this.waiting.shift()!
      if (await this.load(segment)) {
        this.queuedBytes -= segment.bytes
        this.metrics.spoolDepthBytes.set(this.depthBytes)
        // After a failure left one loader, the backlog gets its second again.
        this.startLoaders()
      } else {
        this.waiting.unshift(segment)
        // While the store fails, one loader retries with back-off; another would only add attempts.
        if (this.active > 1) break
        await sleep(Math.min(5_000, 100 * 2 ** Math.min(this.consecutiveFailures, 6)))
      }
    }
    this.active -= 1
    if (this.active === 0 && this.waiting.length === 0) this.idleWaiters.splice(0).forEach((resolve) => resolve())
  }

  private async load(segment: Segment): Promise<boolean> {
    const started = performance.now()
    try {
      const { stored } = await this.loader.load(segment)
      // A segment recovered at start lost its trace keys with the restart: read them back before it goes.
      const traceKeys = segment.tags ?? traceKeysOf(readSegment(await fs.promises.readFile(segment.file)))
      await fs.promises.rm(segment.file, { force: true })
      this.onStored?.(traceKeys)
      this.metrics.flushSeconds.observe((performance.now() - started) / 1000)
      this.metrics.batchSpans.observe(segment.rows)
      this.metrics.spansStored.inc(stored)
      this.consecutiveFailures = 0
      return true
    } catch (error) {
      this.metrics.flushFailures.inc()
      this.consecutiveFailures += 1
      // Only the error's name: an insert error's text quotes the row it stopped at (user data).
      const reason =
        error instanceof RetryLater ? error.refusal.reason : error instanceof Error ? error.name : 'unknown'
      this.logger.warn('store insert failed; the segment stays spooled', {
        segment: segment.id,
        attempt: this.consecutiveFailures,
        reason,
      })
      return false
    }
  }

  private async storeIsUp(): Promise<boolean> {
    try {
      await pingStore(this.store)
      return true
    } catch {
      return false
    }
  }

  private retryAfterSeconds(): number {
    return this.consecutiveFailures > 0 ? 5 : 1
  }
}

/**
 * Segments inserted at once. An insert is one block on one engine thread (db/store-dialect.ts: a
 * refused insert must write nothing), so one loader leaves a core idle whenever the store is behind;
 * a second insert, started only for a segment that would otherwise wait, uses it. Measured with the
 * ingest bench on 2 cores (BENCHMARKS.md, 2026-12-07): end-to-end ~8,400 → ~9,500 spans/s. Under a
 * load the store keeps up with, no segment waits, so paced acknowledgements see one insert as before.
 */
const LOADERS = 2

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
