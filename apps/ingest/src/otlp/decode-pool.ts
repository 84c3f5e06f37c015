/**
 * Worker threads for large OTLP bodies. Decoding is synchronous and its cost follows the body's
 * decompressed bytes, not its span count: 42 MB of `[]` took JSON.parse 7 s, and a 25 KB gzip
 * body holding 1M events held the event loop for over 10 s. A body that turns out larger than
 * INGEST_DECODE_WORKER_MIN_BYTES (decompressed) is handed to a worker, which decompresses the
 * rest, decodes, normalises, prices and encodes it; the event loop only forwards bytes, drops
 * retries and spools the lines, so `/healthz` and small acknowledgements never wait behind it.
 *
 * Each worker decompresses several bodies at once (zlib runs on the thread pool) and decodes them
 * one at a time. Bodies in workers are bounded in number (503 + Retry-After past that). A worker
 * that runs out of its heap, or decodes one body for too long, answers that body 413 and the others
 * 503, and is replaced; it never takes the process down.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { EncodedRows } from '../ingest/encoded-rows.js'
import { overloaded } from '../errors.js'
import type { Logger } from '../logger.js'
import { OtlpDecodeError, type OtlpEncoding } from './decode.js'
import type { NormalizeResult } from './normalize/index.js'
import type { PrepareOptions, UnstorableCounts } from './rows-from-body.js'
import { BodyError, type BodyErrorStatus, type Coding } from './read-body.js'

/** Messages to a worker, per body `id`: open, then chunks or pages, then end (or abort). */
export type ToWorker =
  | { type: 'open'; id: number; coding: Coding; maxBytes: number }
  | { type: 'data'; id: number; parts: Uint8Array[] }
  | { type: 'end'; id: number; encoding: OtlpEncoding; options: PrepareOptions }
  | { type: 'abort'; id: number }

/** A worker's answer for body `id`; a body error may come before `end` (a gzip bomb). */
export type FromWorker =
  | { id: number; type: 'decoding' }
  | {
      id: number
      type: 'done'
      encoded: EncodedRows
      rejected: NormalizeResult['rejected']
      unstorable: UnstorableCounts
    }
  | { id: number; type: 'body-error'; status: BodyErrorStatus; message: string }
  | { id: number; type: 'decode-error'; message: string; path: string }
  | { id: number; type: 'fault'; message: string }

export interface DecodeWorkerData {
  niceIncrement: number
}

export interface DecodeResult {
  encoded: EncodedRows
  rejected: NormalizeResult['rejected']
  unstorable: UnstorableCounts
}

export interface DecodePoolOptions {
  workers: number
  /** Bodies in the workers at once (being received or waiting to be decoded). */
  maxPending: number
  /** Old-generation heap of each worker. */
  maxHeapMb: number
  /** Added to the workers' nice value (Linux), so the event loop wins the CPU when both want it. */
  niceIncrement: number
  /**
   * A body still decoding after this long is answered 413 and its worker replaced: near its heap
   * limit a worker can spend minutes collecting garbage instead of dying.
   */
  decodeTimeoutMs: number
}

interface Slot {
  worker: Worker
  bodies: Map<number, LargeBody>
  /** The body being decoded, and the watchdog that ends its worker if it takes too long. */
  decoding?: { id: number; watchdog: NodeJS.Timeout; timedOut: boolean }
  lastError?: unknown
}

/** A body on its way to a worker, which answers with its rows once `finish` is called. */
export class LargeBody {
  /** Set when the worker refused the body early (e.g. it inflates past the limit). */
  failure: Error | undefined
  private settle?: { resolve(result: DecodeResult): void; reject(error: unknown): void }
  private closed = false

  constructor(
    private readonly slot: Slot,
    readonly id: number,
    private readonly onClose: () => void,
  ) {}

  /**
   * Copies `chunk`, which may share its memory with others (a network chunk), then moves the copy:
   * structured clone would copy a view's whole underlying buffer, not just the view.
   */
  write(chunk: Uint8Array): void {
    if (this.closed) return
    // Not chunk.slice(): on a Buffer that is a view of the same memory.
    const copy = new Uint8Array(chunk.byteLength)
    copy.set(chunk)
    this.slot.worker.postMessage({ type: 'data', id: this.id, parts: [copy] } satisfies ToWorker, [copy.buffer])
  }

  /** Moves pages of a ReceivedBody, each the sole owner of its memory: `pages` are unusable after. */
  writePages(pages: Uint8Array[]): void {
    if (this.closed || pages.length === 0) return
    this.slot.worker.postMessage(
      { type: 'data', id: this.id, parts: pages } satisfies ToWorker,
      pages.map((page) => page.buffer as ArrayBuffer),
    )
  }

  finish(encoding: OtlpEncoding, options: PrepareOptions): Promise<DecodeResult> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject }
      this.slot.worker.postMessage({ type: 'end', id: this.id, encoding, options } satisfies ToWorker)
    })
  }

  abort(): void {
    if (this.closed) return
    this.slot.worker.postMessage({ type: 'abort', id: this.id } satisfies ToWorker)
    this.close()
  }

  /** @internal From the pool: the worker's answer, or its crash. */
  answer(message: FromWorker | { type: 'crash'; error: Error }): void {
    if (message.type === 'decoding') return
    const error = answerError(message)
    if (error === undefined && message.type === 'done')
      this.settle?.resolve({
        encoded: asBuffers(message.encoded),
        rejected: message.rejected,
        unstorable: message.unstorable,
      })
    else if (this.settle) this.settle.reject(error)
    else this.failure = error
    this.close()
  }

  private close(): void {
    if (this.closed) return
    this.closed = true
    this.onClose()
  }
}

export class DecodePool {
  private readonly slots: Slot[] = []
  private pending = 0
  private nextId = 1
  private closed = false

  constructor(
    private readonly options: DecodePoolOptions,
    private readonly logger: Logger,
  ) {}

  /** Starts the workers ahead of the first large body (each loads the decoder and price table). */
  start(): void {
    while (!this.closed && this.slots.length < this.options.workers) this.slots.push(this.spawn())
  }

  /** A new body for the least busy worker; 503 + Retry-After when the workers have enough. */
  open(coding: Coding, maxBytes: number): LargeBody {
    if (this.closed) throw overloaded('The server is shutting down; retry later.', 1)
    if (this.pending >= this.options.maxPending)
      throw overloaded('Too many large request bodies are being decoded; retry later.', 1)
    this.start()
    const slot = this.slots.reduce((a, b) => (b.bodies.size < a.bodies.size ? b : a))
    const body = new LargeBody(slot, this.nextId++, () => {
      slot.bodies.delete(body.id)
      this.pending -= 1
    })
    slot.bodies.set(body.id, body)
    this.pending += 1
    slot.worker.postMessage({ type: 'open', id: body.id, coding, maxBytes } satisfies ToWorker)
    return body
  }

  async close(): Promise<void> {
    this.closed = true
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()))
  }

  private spawn(): Slot {
    const worker = createWorker(this.options.maxHeapMb, { niceIncrement: this.options.niceIncrement })
    const slot: Slot = { worker, bodies: new Map() }
    worker.unref()
    worker.on('message', (message: FromWorker) => {
      if (message.type === 'decoding') slot.decoding = this.watch(slot, message.id)
      else if (slot.decoding?.id === message.id) {
        clearTimeout(slot.decoding.watchdog)
        slot.decoding = undefined
      }
      slot.bodies.get(message.id)?.answer(message)
    })
    worker.on('error', (err) => (slot.lastError = err))
    worker.on('exit', () => {
      const index = this.slots.indexOf(slot)
      if (index >= 0) this.slots.splice(index, 1)
      const decoding = slot.decoding
      if (decoding) clearTimeout(decoding.watchdog)
      for (const body of [...slot.bodies.values()]) {
        const culprit = body.id === decoding?.id
        body.answer({
          type: 'crash',
          error: culprit && decoding?.timedOut ? this.timeoutError() : crashError(slot.lastError, culprit),
        })
      }
      if (this.closed) return
      // Replaced by the next open(), so a worker that cannot start fails requests, not a loop.
      if (decoding?.timedOut)
        this.logger.warn('decode worker stopped: a request body took too long to decode', {
          timeoutMs: this.options.decodeTimeoutMs,
        })
      else this.logger.error('decode worker exited', { err: slot.lastError })
    })
    return slot
  }

  private watch(slot: Slot, id: number): NonNullable<Slot['decoding']> {
    const expire = () => {
      decoding.timedOut = true
      void slot.worker.terminate()
    }
    const decoding = { id, timedOut: false, watchdog: setTimeout(expire, this.options.decodeTimeoutMs).unref() }
    return decoding
  }

  private timeoutError(): BodyError {
    return new BodyError(
      413,
      `Request body took over ${this.options.decodeTimeoutMs / 1000} s to decode; send smaller batches`,
    )
  }
}

function answerError(message: FromWorker | { type: 'crash'; error: Error }): Error | undefined {
  switch (message.type) {
    case 'body-error':
      return new BodyError(message.status, message.message)
    case 'decode-error':
      return new OtlpDecodeError(message.message, message.path)
    case 'fault':
      return new Error(`decode worker failed: ${message.message}`)
    case 'crash':
      return message.error
    default:
      return undefined
  }
}

/** Structured clone delivers Uint8Array; the spool wants a Buffer over the same memory. */
function asBuffers(encoded: EncodedRows): EncodedRows {
  const { data } = encoded
  return { ...encoded, data: Buffer.from(data.buffer, data.byteOffset, data.byteLength) }
}

function crashError(err: unknown, wasDecoding: boolean): Error {
  if (wasDecoding && err instanceof Error && 'code' in err && err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return new BodyError(413, 'Request body too complex to decode within the server memory limit; send smaller batches')
  }
  // Another body's fault, or ours: the exporter may retry this one.
  return overloaded('The decoder restarted while this request waited; retry later.', 1)
}

function createWorker(maxHeapMb: number, workerData: DecodeWorkerData): Worker {
  const ext = path.extname(fileURLToPath(import.meta.url))
  const url = new URL(`./decode-worker${ext}`, import.meta.url)
  const resourceLimits = { maxOldGenerationSizeMb: maxHeapMb }
  if (ext !== '.ts') return new Worker(url, { resourceLimits, workerData })
  // From TypeScript sources (tests, `node --import tsx`): Node 20 does not apply `--import` hooks
  // to a worker's entry module, so the worker registers tsx itself before loading it.
  const tsx = import.meta.resolve('tsx/esm/api')
  const register = `import(${JSON.stringify(tsx)}).then((m) => m.register())`
  const code = `${register}.then(() => import(${JSON.stringify(url.href)}))`
  return new Worker(code, { eval: true, resourceLimits, workerData, execArgv: ['--conditions=@sightline/source'] })
}
