import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ReceivedBody } from './received-body.js'

describe('ReceivedBody', () => {
  it.each([[1], [1000], [16 * 1024], [70_000]])('joins chunks of %i bytes back into the body', (chunkSize) => {
    const data = randomBytes(3 * 1024 * 1024 + 17)
    const body = new ReceivedBody()
    for (let at = 0; at < data.length; at += chunkSize) body.append(data.subarray(at, at + chunkSize))
    expect(body.byteLength).toBe(data.length)
    expect(Buffer.from(body.join()).equals(data)).toBe(true)
  })

  it('keeps every page in an ArrayBuffer of its own, so pages can be transferred', () => {
    const body = new ReceivedBody()
    body.append(randomBytes(5 * 1024 * 1024))
    const pages = body.pages()
    expect(pages.length).toBeGreaterThan(3)
    expect(new Set(pages.map((p) => p.buffer)).size).toBe(pages.length)
    expect(pages.every((p) => p.byteOffset === 0)).toBe(true)
    expect(Math.max(...pages.map((p) => p.buffer.byteLength))).toBe(1024 * 1024)
  })

  it('joins a one-page body without copying it, and an empty one to zero bytes', () => {
    const body = new ReceivedBody()
    body.append(Buffer.from('abc'))
    expect(body.join().buffer).toBe(body.pages()[0]!.buffer)
    expect(new ReceivedBody().join()).toHaveLength(0)
  })
})
