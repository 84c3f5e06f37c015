/**
 * Reads a POST body as a stream, decompressing on the fly and counting bytes AFTER decompression.
 * Exporters send chunked bodies without Content-Length, so the limit (spec: 64 MiB) can only be
 * enforced while reading; counting the decompressed side is what stops a gzip bomb (1 GiB of zeros
 * is ~1 MB on the wire). Aborting the pipeline destroys zlib, so output stops within one chunk.
 */
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createInflate, type Gunzip, type Inflate } from 'node:zlib'
import type { ReadableStream } from 'node:stream/web'

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

type Coding = 'identity' | 'gzip' | 'deflate'

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

function createDecompressor(coding: Coding): Gunzip | Inflate | undefined {
  if (coding === 'gzip') return createGunzip()
  if (coding === 'deflate') return createInflate()
  return undefined
}

function isZlibError(err: unknown): boolean {
  if (!(err instanceof Error) || !('code' in err)) return false
  return typeof err.code === 'string' && err.code.startsWith('Z_')
}

function toBodyError(err: unknown, coding: Coding): BodyError {
  if (err instanceof BodyError) return err
  const reason = err instanceof Error ? err.message : String(err)
  if (isZlibError(err)) return new BodyError(400, `Corrupt ${coding} body: ${reason}`, { cause: err })
  return new BodyError(400, `Could not read request body: ${reason}`, { cause: err })
}

export async function readBody(
  stream: ReadableStream<Uint8Array> | globalThis.ReadableStream<Uint8Array> | null,
  opts: ReadBodyOptions,
): Promise<Uint8Array> {
  const coding = parseContentEncoding(opts.contentEncoding)
  if (stream === null) return new Uint8Array(0)
  const chunks: Buffer[] = []
  let total = 0
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      total += chunk.length
      if (total > opts.maxBytes) {
        const where = coding === 'identity' ? '' : ' after decompression'
        callback(new BodyError(413, `Request body exceeds ${opts.maxBytes} bytes${where}`))
        return
      }
      chunks.push(chunk)
      callback()
    },
  })
  const source = Readable.fromWeb(stream as ReadableStream<Uint8Array>)
  const decompressor = createDecompressor(coding)
  try {
    await (decompressor === undefined ? pipeline(source, sink) : pipeline(source, decompressor, sink))
  } catch (err) {
    throw toBodyError(err, coding)
  }
  const joined = Buffer.concat(chunks, total)
  return new Uint8Array(joined.buffer, joined.byteOffset, joined.byteLength)
}
