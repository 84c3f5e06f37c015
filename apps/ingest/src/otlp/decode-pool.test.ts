import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { AppError } from '../errors.js'
import { createLogger } from '../logger.js'
import { DEFAULT_DECODE_LIMITS, OtlpDecodeError } from './decode.js'
import { DecodePool, type LargeBody } from './decode-pool.js'
import { BodyError } from './read-body.js'

const options = { projectId: 'p1', maxAttributeValueBytes: 1 << 20, limits: DEFAULT_DECODE_LIMITS }
// A short decode time-out, so that a body of 150k spans (seconds of work) runs into it.
const pool = new DecodePool(
  { workers: 1, maxPending: 3, maxHeapMb: 1024, niceIncrement: 0, decodeTimeoutMs: 300 },
  createLogger('silent'),
)
afterAll(() => pool.close())

function span(spanId: string): string {
  const start = BigInt(Date.now()) * 1_000_000n
  return (
    `{"traceId":"${'ab'.repeat(16)}","spanId":"${spanId}","name":"s","startTimeUnixNano":"${start}` +
    `","endTimeUnixNano":"${start + 1000n}"}`
  )
}
const request = (...spans: string[]) =>
  Buffer.from(`{"resourceSpans":[{"scopeSpans":[{"spans":[${spans.join(',')}]}]}]}`)

/** Sends `body` in 64 KiB chunks, as the event loop forwards a request. */
function send(large: LargeBody, body: Buffer): LargeBody {
  for (let at = 0; at < body.length; at += 65_536) large.write(body.subarray(at, at + 65_536))
  return large
}

describe('DecodePool', () => {
  it('decodes a gzip body sent in chunks into spool lines with their span keys', async () => {
    const body = gzipSync(request(span('0000000000000001'), span('0000000000000002')))
    const { encoded, rejected } = await send(pool.open('gzip', 1 << 20), body).finish('json', options)
    expect(rejected.count).toBe(0)
    expect(encoded.keys).toEqual([`p1/${'ab'.repeat(16)}/0000000000000001`, `p1/${'ab'.repeat(16)}/0000000000000002`])
    expect(encoded.data.toString('utf8').trimEnd().split('\n')).toHaveLength(2)
    expect(encoded.lineEnds[1]).toBe(encoded.data.length)
  })

  it('refuses a body that inflates past the limit while it is still arriving', async () => {
    const large = send(pool.open('gzip', 1 << 20), gzipSync(Buffer.alloc(8 << 20, 0x20)))
    await expect.poll(() => large.failure).toBeInstanceOf(BodyError)
    expect(large.failure).toMatchObject({
      status: 413,
      message: 'Request body exceeds 1048576 bytes after decompression',
    })
    await expect(large.finish('json', options)).rejects.toBe(large.failure)
  })

  it('answers a corrupt gzip body 400 and a malformed request with its decode error', async () => {
    const corrupt = send(
      pool.open('gzip', 1 << 20),
      Buffer.concat([gzipSync(request()).subarray(0, 10), Buffer.alloc(40, 0xab)]),
    )
    await expect(corrupt.finish('json', options)).rejects.toMatchObject({
      status: 400,
      message: expect.stringMatching(/^Corrupt gzip body/),
    })
    const malformed = send(pool.open('identity', 1 << 20), Buffer.from('{"resourceSpans":{}}'))
    const error: unknown = await malformed.finish('json', options).catch((err: unknown) => err)
    expect(error).toBeInstanceOf(OtlpDecodeError)
    expect(error).toMatchObject({ message: 'resourceSpans: expected an array, got {}' })
  })

  it('answers 503 + Retry-After when enough bodies are in the workers', () => {
    const open = [pool.open('identity', 1 << 20), pool.open('identity', 1 << 20), pool.open('identity', 1 << 20)]
    let refused: unknown
    try {
      pool.open('identity', 1 << 20)
    } catch (err) {
      refused = err
    }
    expect(refused).toBeInstanceOf(AppError)
    expect(refused).toMatchObject({ status: 503, retryAfterSeconds: 1 })
    open.forEach((large) => large.abort())
    pool.open('identity', 1 << 20).abort()
  })

  it('answers 413 for a body that decodes for too long, and keeps working with a new worker', async () => {
    const slow = send(
      pool.open('identity', 64 << 20),
      Buffer.from(
        `{"resourceSpans":[{"scopeSpans":[{"spans":[${`${span('0000000000000004')},`.repeat(149_999)}` +
          `${span('0000000000000004')}]}]}]}`,
      ),
    )
    // Opened on the same worker while it decodes: the replacement is not this body's fault.
    const bystander = send(pool.open('identity', 1 << 20), request(span('0000000000000005')))
    await expect(slow.finish('json', options)).rejects.toMatchObject({
      status: 413,
      message: 'Request body took over 0.3 s to decode; send smaller batches',
    })
    await expect(bystander.finish('json', options)).rejects.toMatchObject({ status: 503, retryAfterSeconds: 1 })
    const { encoded } = await send(pool.open('identity', 1 << 20), request(span('0000000000000003'))).finish(
      'json',
      options,
    )
    expect(encoded.keys).toHaveLength(1)
  })
})
