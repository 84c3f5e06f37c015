import { Readable } from 'node:stream'
import { createGzip, deflateSync, gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { BodyError, readBody, type BodyStream } from './read-body.js'

const MiB = 1024 * 1024

type Chunked = (data: Uint8Array, chunkSize?: number, onChunk?: (bytes: number) => void) => BodyStream

/** A body delivered in small chunks, like an exporter's chunked request with no Content-Length. */
const webChunked: Chunked = (data, chunkSize = 1000, onChunk) => {
  let offset = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= data.length) return controller.close()
      onChunk?.(Math.min(chunkSize, data.length - offset))
      controller.enqueue(data.slice(offset, offset + chunkSize))
      offset += chunkSize
    },
  })
}

/** The same body as Node's request stream delivers it (what the server reads, see node-body-reader.ts). */
const nodeChunked: Chunked = (data, chunkSize = 1000, onChunk) => {
  let offset = 0
  return new Readable({
    read() {
      if (offset >= data.length) return void this.push(null)
      onChunk?.(Math.min(chunkSize, data.length - offset))
      this.push(data.slice(offset, offset + chunkSize))
      offset += chunkSize
    },
  })
}

async function bodyError(promise: Promise<unknown>): Promise<BodyError> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(BodyError)
  return err as BodyError
}

/** `zeroMiB` MiB of zeros, gzipped by streaming so the plain text is never in memory at once. */
async function buildGzipBomb(zeroMiB: number): Promise<Buffer> {
  const zeros = Buffer.alloc(MiB)
  let produced = 0
  const source = new Readable({
    read() {
      this.push(produced++ < zeroMiB ? zeros : null)
    },
  })
  const chunks: Buffer[] = []
  for await (const chunk of source.pipe(createGzip({ level: 9 }))) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

const payload = Buffer.from('{"resourceSpans":[]}'.repeat(500))

it('reads a chunked identity body from a Request (no Content-Length)', async () => {
  const request = new Request('http://ingest.test/v1/traces', {
    method: 'POST',
    body: webChunked(payload, 7) as ReadableStream<Uint8Array>,
    duplex: 'half',
  } as RequestInit)
  expect(request.headers.get('content-length')).toBeNull()
  const body = await readBody(request.body, { contentEncoding: undefined, maxBytes: MiB })
  expect(Buffer.from(body).equals(payload)).toBe(true)
})

describe.each([
  ['a web stream', webChunked],
  ["Node's request stream", nodeChunked],
])('readBody from %s', (_source, chunkedStream) => {
  it.each([
    ['gzip', gzipSync(payload)],
    ['GZip', gzipSync(payload)],
    ['x-gzip', gzipSync(payload)],
    ['deflate', deflateSync(payload)],
    ['identity', payload],
    ['', payload],
  ])('decompresses Content-Encoding %j', async (encoding, wire) => {
    const body = await readBody(chunkedStream(wire, 100), { contentEncoding: encoding, maxBytes: MiB })
    expect(Buffer.from(body).equals(payload)).toBe(true)
  })

  it('returns an empty body for a null stream', async () => {
    expect(await readBody(null, { contentEncoding: undefined, maxBytes: 10 })).toHaveLength(0)
  })

  it('allows exactly maxBytes and refuses one more, counting decompressed bytes', async () => {
    const limit = payload.length
    const ok = await readBody(chunkedStream(gzipSync(payload)), { contentEncoding: 'gzip', maxBytes: limit })
    expect(ok).toHaveLength(limit)
    const err = await bodyError(
      readBody(chunkedStream(gzipSync(payload)), { contentEncoding: 'gzip', maxBytes: limit - 1 }),
    )
    expect(err.status).toBe(413)
    expect(err.message).toBe(`Request body exceeds ${limit - 1} bytes after decompression`)
  })

  it('refuses an oversized identity body with 413', async () => {
    const err = await bodyError(readBody(chunkedStream(payload), { contentEncoding: undefined, maxBytes: 100 }))
    expect(err.status).toBe(413)
  })

  it.each(['br', 'zstd', 'gzip, br', 'compress'])('refuses Content-Encoding %j with 415', async (encoding) => {
    const err = await bodyError(readBody(chunkedStream(payload), { contentEncoding: encoding, maxBytes: MiB }))
    expect(err.status).toBe(415)
    expect(err.message).toContain(`Unsupported Content-Encoding "${encoding}"`)
  })

  it.each([
    ['not gzip at all', Buffer.from('{"resourceSpans":[]}')],
    ['truncated gzip', gzipSync(payload).subarray(0, 40)],
  ])('refuses a corrupt body (%s) with 400', async (_label, wire) => {
    const err = await bodyError(readBody(chunkedStream(wire), { contentEncoding: 'gzip', maxBytes: MiB }))
    expect(err.status).toBe(400)
    expect(err.message).toMatch(/^Corrupt gzip body: /)
  })

  it('refuses a 1 GiB gzip bomb early, without inflating it', async () => {
    const bomb = await buildGzipBomb(1024)
    let compressedRead = 0
    const counting = chunkedStream(bomb, 16 * 1024, (bytes) => (compressedRead += bytes))
    const rssBefore = process.memoryUsage().rss
    const err = await bodyError(readBody(counting, { contentEncoding: 'gzip', maxBytes: 4 * MiB }))
    const rssGrowth = process.memoryUsage().rss - rssBefore
    expect(err.status).toBe(413)
    // 4 MiB of zeros is ~4 KiB of gzip; stream read-ahead adds a few chunks, nowhere near the ~1 MB bomb.
    expect(compressedRead).toBeLessThan(bomb.length / 10)
    expect(rssGrowth).toBeLessThan(128 * MiB)
  }, 30_000)
})
