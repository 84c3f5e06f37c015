/**
 * `GET /api/v1/traces/{id}/skeleton?head=N`: the trace view's skeleton in lines
 * (`TraceSkeletonLineSchema`), so a page draws a huge trace's first rows while the rest is still read
 * and resolved: at 100k spans the whole takes seconds, its first thousand spans tens of milliseconds.
 * Both reads start at once, and the head is sent only when it is ready before the whole.
 *
 * The body is gzipped here rather than by `compress()`: a sync flush after the head line is what gets it
 * to the browser before the stream ends, and CompressionStream cannot flush.
 */
import { PassThrough } from 'node:stream'
import zlib from 'node:zlib'
import type { TraceSkeletonLineWire, TraceSkeletonResponseWire } from '@sightline/schema'
import type { Context } from 'hono'
import { accepts } from 'hono/accepts'
import { notFound } from '../errors.js'

type Part = TraceSkeletonResponseWire

export interface SkeletonParts {
  head: Promise<Part | undefined>
  whole: Promise<Part | undefined>
}

/**
 * The response, and when its last line is written (the query slot is held until then). A whole that is
 * missing or fails before anything was sent is thrown, to be answered as any other error (404, 500).
 */
export async function skeletonLines(
  c: Context,
  traceId: string,
  parts: SkeletonParts,
  logError: (error: unknown) => void,
): Promise<{ response: Response; written: Promise<void> }> {
  // A failed head costs the page its early rows only; the whole reports whatever failed.
  const head = parts.head.catch(() => undefined)
  const wholeSettled = parts.whole.then(
    () => undefined,
    () => undefined,
  )
  const first = await Promise.race([wholeSettled, head])
  const gzip = accepts(c, { header: 'Accept-Encoding', supports: ['gzip'], default: 'identity' }) === 'gzip'
  const out = gzip ? zlib.createGzip({ chunkSize: CHUNK_BYTES }) : new PassThrough()
  // A client that goes away destroys the stream; what is still to be written is then dropped.
  out.on('error', () => {})
  const write = (line: TraceSkeletonLineWire, end: boolean) => {
    if (out.destroyed) return
    const text = `${JSON.stringify(line)}\n`
    if (end) out.end(text)
    else out.write(text)
  }
  let written: Promise<void>
  if (first === undefined) {
    const whole = await parts.whole
    if (!whole) throw notFound(`No trace ${traceId} in this project.`)
    write({ part: 'whole', ...whole }, true)
    written = Promise.resolve()
  } else {
    write({ part: 'head', ...first }, false)
    if (out instanceof zlib.Gzip) out.flush(zlib.constants.Z_SYNC_FLUSH)
    written = parts.whole.then(
      (whole) =>
        write(
          whole
            ? { part: 'whole', ...whole }
            : { part: 'error', error: { code: 'not_found', message: `No trace ${traceId} in this project.` } },
          true,
        ),
      (error: unknown) => {
        logError(error)
        write({ part: 'error', error: { code: 'internal', message: 'Internal error' } }, true)
      },
    )
  }
  const headers: Record<string, string> = { 'Content-Type': 'application/x-ndjson', Vary: 'Accept-Encoding' }
  if (gzip) headers['Content-Encoding'] = 'gzip'
  return { response: new Response(webStream(out), { headers }), written }
}

/** Gzip's output chunk: a 100k-span skeleton is ~13 MB of text. */
const CHUNK_BYTES = 256 * 1024

/**
 * The stream's output as a web stream, chunks passed on as they come: the text is in memory already,
 * and `Readable.toWeb` pulled a 13 MB skeleton through in 30 s where this takes a fraction of one.
 */
function webStream(out: PassThrough | zlib.Gzip): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      out.on('data', (chunk: Buffer) => controller.enqueue(new Uint8Array(chunk)))
      out.on('end', () => controller.close())
      out.on('error', (error) => controller.error(error))
    },
    cancel() {
      out.destroy()
    },
  })
}
