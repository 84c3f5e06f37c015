/**
 * Reads a POST body as a stream, decompressing on the fly and counting bytes AFTER decompression.
 * Exporters send chunked bodies without Content-Length, so the limit (spec: 64 MiB) can only be
 * enforced while reading; counting the decompressed side is what stops a gzip bomb (1 GiB of zeros
 * is ~1 MB on the wire).
 *
 * The event loop decompresses at most `localBytes` of a body. A body that inflates past that goes
 * to a decode worker with its compressed bytes, and the worker inflates the rest: a 25 KB gzip
 * body of 12 MB cost the event loop ~100 ms of zlib callbacks, copies and garbage collections, and
 * a 64 MB one would cost five times that. Chunks are copied into pages as they arrive, so no single
 * step copies a whole body either (joining a 12 MB body at the end held the loop ~45 ms).
 */
import { createGunzip, createInflate, type Gunzip, type Inflate } from 'node:zlib'
import type { Readable } from 'node:stream'
import type { ReadableStream } from 'node:stream/web'
import { AppError } from '../errors.js'
import type { LargeBody } from './decode-pool.js'
import { isNodeReadable, nodeBodyReader, type BodyReader } from './node-body-reader.js'
import { ReceivedBody } from './received-body.js'

export type BodyErrorStatus = 400 | 413 | 415

export class BodyError extends Error {
  readonly status: BodyErrorStatus

  constructor(status: BodyErrorStatus, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'BodyError'
    this.status = status
    Object.setPrototypeOf(this, new.target.prototype)
  }
}

export interface ReadBodyOptions {
  contentEncoding: string | undefined
  maxBytes: number
}

export interface ReceiveBodyOptions extends ReadBodyOptions {
  /** Decompressed bytes handled on the event loop; a larger body goes to `openLarge`. */
  localBytes: number
  openLarge(coding: Coding): LargeBody
}

/** A small body, whole; or a large one, on its way to a decode worker. */
export type ReceivedRequestBody = { small: Uint8Array; large?: undefined } | { large: LargeBody; small?: undefined }

export type Coding = 'identity' | 'gzip' | 'deflate'

/** A web stream (a `Request`'s body), or Node's request itself, read without the web-stream layer. */
export type BodyStream = ReadableStream<Uint8Array> | globalThis.ReadableStream<Uint8Array> | Readable

function parseContentEncoding(header: string | undefined): Coding {
  const codings = (header ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity')
  if (codings.length === 0) return 'identity'
  const [only] = codings
  if (codings.length === 1 && (only === 'gzip' || only === 'x-gzip')) return 'gzip'
  if (codings.length === 1 && only === 'deflate') return 'deflate'
  throw new BodyError(415, `Unsupported Content-Encoding "${header}": use gzip, deflate or identity`)
}

/** 64 KiB output chunks instead of zlib's 16 KiB: a quarter of the callbacks. */
const ZLIB_CHUNK_BYTES = 64 * 1024

export function createDecompressor(coding: Coding): Gunzip | Inflate | undefined {
  if (coding === 'gzip') return createGunzip({ chunkSize: ZLIB_CHUNK_BYTES })
  if (coding === 'deflate') return createInflate({ chunkSize: ZLIB_CHUNK_BYTES })
  return undefined
}

function isZlibError(err: unknown): boolean {
  if (!(err instanceof Error) || !('code' in err)) return false
  return typeof err.code === 'string' && err.code.startsWith('Z_')
}

export function toBodyError(err: unknown, coding: Coding): BodyError {
  if (err instanceof BodyError) return err
  const reason = err instanceof Error ? err.message : String(err)
  if (isZlibError(err)) return new BodyError(400, `Corrupt ${coding} body: ${reason}`, { cause: err })
  return new BodyError(400, `Could not read request body: ${reason}`, { cause: err })
}

export function tooLarge(maxBytes: number, coding: Coding): BodyError {
  return new BodyError(
    413,
    `Request body exceeds ${maxBytes} bytes${coding === 'identity' ? '' : ' after decompression'}`,
  )
}

/** The whole body, decompressed, as one array: `receiveBody` without a worker. */
export async function readBody(stream: BodyStream | null, opts: ReadBodyOptions): Promise<Uint8Array> {
  const openLarge = () => {
    throw new Error('unreachable: localBytes is unlimited')
  }
  const received = await receiveBody(stream, { ...opts, localBytes: Infinity, openLarge })
  return received.small ?? new Uint8Array(0)
}

export async function receiveBody(stream: BodyStream | null, opts: ReceiveBodyOptions): Promise<ReceivedRequestBody> {
  const coding = parseContentEncoding(opts.contentEncoding)
  if (stream === null) return { small: new Uint8Array(0) }
  const reader: BodyReader = isNodeReadable(stream)
    ? nodeBodyReader(stream)
    : (stream as globalThis.ReadableStream<Uint8Array>).getReader()
  try {
    return coding === 'identity' ? await receivePlain(reader, opts) : await receiveCompressed(reader, coding, opts)
  } catch (err) {
    // Stop reading what the client still sends: the answer is already decided.
    reader.cancel().catch(() => undefined)
    throw err instanceof AppError ? err : toBodyError(err, coding)
  }
}

/** Plain bodies cost the event loop what the client sends, no more: read here, decoded by size. */
async function receivePlain(reader: BodyReader, opts: ReceiveBodyOptions): Promise<ReceivedRequestBody> {
  const body = new ReceivedBody()
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    if (body.byteLength + read.value.length > opts.maxBytes) throw tooLarge(opts.maxBytes, 'identity')
    body.append(read.value)
  }
  if (body.byteLength < opts.localBytes) return { small: body.join() }
  const large = opts.openLarge('identity')
  large.writePages(body.pages())
  return { large }
}

/**
 * Inflates here until the output passes `localBytes`; then the compressed bytes read so far and
 * all that follow go to a worker, which inflates from the start and reports a bomb (413) early.
 */
async function receiveCompressed(
  reader: BodyReader,
  coding: Coding,
  opts: ReceiveBodyOptions,
): Promise<ReceivedRequestBody> {
  const compressed = new ReceivedBody()
  const inflated = new ReceivedBody()
  const zlib = createDecompressor(coding)!
  let large: LargeBody | undefined
  let failure: unknown
  zlib.on('data', (out: Buffer) => {
    if (large || failure) return
    const size = inflated.byteLength + out.length
    if (size < opts.localBytes && size <= opts.maxBytes) return inflated.append(out)
    zlib.destroy()
    if (size > opts.maxBytes) {
      failure = tooLarge(opts.maxBytes, coding)
      return
    }
    try {
      large = opts.openLarge(coding)
      large.writePages(compressed.pages())
    } catch (err) {
      failure = err
    }
  })
  zlib.on('error', (err) => (failure ??= err))
  // Deflate's stored blocks add well under 1 %: a compressed body past this cannot inflate to
  // under the limit, and is refused without waiting for the worker to say so.
  const maxWireBytes = opts.maxBytes * 1.01 + 1024
  try {
    let wireBytes = 0
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      if (failure) throw failure
      if (large?.failure) throw large.failure
      if ((wireBytes += read.value.length) > maxWireBytes) throw tooLarge(opts.maxBytes, coding)
      if (large) {
        large.write(read.value)
      } else {
        compressed.append(read.value)
        if (!zlib.write(read.value)) await drained(zlib)
      }
    }
    if (!large && !failure) await ended(zlib)
    if (failure) throw failure
    if (large) return { large }
    return { small: inflated.join() }
  } catch (err) {
    large?.abort()
    zlib.destroy()
    throw err
  }
}

function drained(zlib: Gunzip | Inflate): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      zlib.off('drain', done).off('close', done)
      resolve()
    }
    zlib.once('drain', done).once('close', done)
  })
}

/** Flushes the decompressor; resolves on its end, or on its close after an error or a hand-over. */
function ended(zlib: Gunzip | Inflate): Promise<void> {
  return new Promise((resolve) => {
    zlib.once('end', resolve).once('close', resolve)
    zlib.end()
  })
}
