import fs from 'node:fs'
import path from 'node:path'
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../private-files.js'
import { headerBytes } from './segment-format.js'

/**
 * Write-ahead spool: acknowledged spans live here, fsynced, until the store has them.
 *
 * Appends are group-committed: every request that arrives while a write+fdatasync is in flight
 * joins the next one, so acknowledgement costs one fdatasync (~0.2 ms here) however many requests
 * share it. A segment is sealed by size or age and handed to the loader; it is deleted only once
 * the store has it. A crash leaves at most a torn tail in the open segment, which belongs to a
 * request that was never acknowledged and is cut off on the next start.
 *
 * A segment starts with `header` (one line naming its columns, see segment-format.ts), then one
 * line per row.
 */
export interface Segment {
  readonly id: string
  readonly file: string
  readonly bytes: number
  readonly rows: number
  /** What the appends said their rows belong to (the writer: trace keys); absent for a segment recovered at start. */
  readonly tags?: ReadonlySet<string>
}

export interface SpoolOptions {
  dir: string
  /** Written at the start of every segment: one line, not counted as a row. */
  header: Buffer
  segmentBytes: number
  segmentMaxAgeMs: number
  onSealed: (segment: Segment) => void
  /**
   * Whether sealing by age helps now. While the loader still has a backlog, an aged segment would
   * only wait in its queue; growing it instead makes the inserts larger, which chDB handles far better.
   */
  isLoaderIdle: () => boolean
  /** Called after each group commit with its write + fdatasync time. */
  onCommit?: (seconds: number) => void
}

interface Pending {
  data: Buffer
  rows: number
  tags: readonly string[]
  resolve: () => void
  reject: (error: unknown) => void
}

interface OpenSegment {
  id: string
  file: string
  handle: fs.promises.FileHandle
  bytes: number
  rows: number
  tags: Set<string>
  openedAt: number
}

export class Spool {
  private pending: Pending[] = []
  private committing: Promise<void> | undefined
  private current: OpenSegment | undefined
  private sequence = 0
  private ageTimer: NodeJS.Timeout | undefined
  private closed = false
  /** Sealing runs inside the commit loop, so it can never close a segment under a write. */
  private sealRequested = false

  constructor(private readonly options: SpoolOptions) {}

  /** Opens the spool and returns the segments a previous run left behind, oldest first. */
  async open(): Promise<Segment[]> {
    ensurePrivateDir(this.options.dir)
    const names = (await fs.promises.readdir(this.options.dir))
      .filter((n) => /^seg-\d{12}-[0-9a-f]{8}\.jsonl$/.test(n))
      .sort()
    const leftovers: Segment[] = []
    for (const name of names) {
      const file = path.join(this.options.dir, name)
      const segment = await recoverSegment(file, name.replace(/\.jsonl$/, ''))
      this.sequence = Math.max(this.sequence, Number(name.slice(4, 16)))
      if (segment) leftovers.push(segment)
    }
    this.ageTimer = setInterval(() => this.sealIfOld(), Math.max(10, Math.floor(this.options.segmentMaxAgeMs / 2)))
    this.ageTimer.unref()
    return leftovers
  }

  /** Resolves once `data` (whole row lines) is fsynced; `tags` travel with the segment to the loader. */
  append(data: Buffer, rows: number, tags: readonly string[] = []): Promise<void> {
    if (this.closed) return Promise.reject(new Error('spool is closed'))
    return new Promise((resolve, reject) => {
      this.pending.push({ data, rows, tags, resolve, reject })
      this.committing ??= this.commitLoop()
    })
  }

  /** Seals the open segment (after in-flight commits) so that the loader takes it now. */
  async sealNow(): Promise<void> {
    this.sealRequested = true
    this.committing ??= this.commitLoop()
    await this.committing
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.ageTimer) clearInterval(this.ageTimer)
    await this.sealNow()
  }

  private async commitLoop(): Promise<void> {
    while (this.pending.length > 0 || this.sealRequested) {
      const batch = this.pending.splice(0)
      if (batch.length > 0) await this.commit(batch)
      if (this.sealRequested || (this.current && this.current.bytes >= this.options.segmentBytes)) {
        this.sealRequested = false
        await this.seal().catch(() => undefined)
      }
    }
    this.committing = undefined
  }

  private async commit(batch: Pending[]): Promise<void> {
    const started = performance.now()
    try {
      const segment = await this.segmentFor()
      const parts = batch.map((p) => p.data)
      // A fresh segment (or one whose first write was rolled back) gets its header with the rows.
      if (segment.bytes === 0) parts.unshift(this.options.header)
      // One vectored write: the requests' lines go to the file without being copied into one buffer first.
      const bytes = parts.reduce((n, part) => n + part.length, 0)
      const { bytesWritten } = await segment.handle.writev(parts)
      // A short write (disk full) must not be acknowledged: the catch cuts the segment back.
      if (bytesWritten !== bytes) throw new Error(`spool write stopped after ${bytesWritten} of ${bytes} bytes`)
      await segment.handle.datasync()
      segment.bytes += bytes
      segment.rows += batch.reduce((n, p) => n + p.rows, 0)
      for (const p of batch) for (const tag of p.tags) segment.tags.add(tag)
      batch.forEach((p) => p.resolve())
      this.options.onCommit?.((performance.now() - started) / 1000)
    } catch (error) {
      // Drop the partial write, so the segment holds only whole, acknowledged lines.
      await this.current?.handle.truncate(this.current.bytes).catch(() => undefined)
      batch.forEach((p) => p.reject(error))
    }
  }

  private async segmentFor(): Promise<OpenSegment> {
    if (this.current) return this.current
    this.sequence += 1
    const id = `seg-${String(this.sequence).padStart(12, '0')}-${Math.floor(Math.random() * 2 ** 32)
      .toString(16)
      .padStart(8, '0')}`
    const file = path.join(this.options.dir, `${id}.jsonl`)
    const handle = await fs.promises.open(file, 'a', PRIVATE_FILE_MODE)
    this.current = { id, file, handle, bytes: 0, rows: 0, tags: new Set(), openedAt: Date.now() }
    return this.current
  }

  private async seal(): Promise<void> {
    const segment = this.current
    if (!segment) return
    this.current = undefined
    await segment.handle.close()
    if (segment.rows === 0) {
      await fs.promises.rm(segment.file, { force: true })
      return
    }
    this.options.onSealed({
      id: segment.id,
      file: segment.file,
      bytes: segment.bytes,
      rows: segment.rows,
      tags: segment.tags,
    })
  }

  private sealIfOld(): void {
    const segment = this.current
    if (!segment || Date.now() - segment.openedAt < this.options.segmentMaxAgeMs) return
    if (!this.options.isLoaderIdle()) return
    this.sealRequested = true
    this.committing ??= this.commitLoop()
  }
}

/** Cuts a torn tail (an unacknowledged, half-written request) and counts the rows left. */
async function recoverSegment(file: string, id: string): Promise<Segment | undefined> {
  const data = await fs.promises.readFile(file)
  const end = data.lastIndexOf(0x0a) + 1
  if (end === 0) {
    await fs.promises.rm(file, { force: true })
    return undefined
  }
  let rows = 0
  for (let i = headerBytes(data); i < end; i++) if (data[i] === 0x0a) rows++
  if (rows === 0) {
    await fs.promises.rm(file, { force: true })
    return undefined
  }
  if (end < data.length) await fs.promises.truncate(file, end)
  return { id, file, bytes: end, rows }
}
