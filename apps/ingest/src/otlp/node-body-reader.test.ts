import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { nodeBodyReader } from './node-body-reader.js'
import { BodyError, readBody } from './read-body.js'

let server: http.Server | undefined

afterEach(async () => {
  const open = server
  server = undefined
  if (!open) return
  open.closeAllConnections()
  await new Promise((resolve) => open.close(resolve))
})

/** A server whose handler reads the body with `readBody`; resolves with what the read ended in. */
async function readingServer(): Promise<{ port: number; outcome: Promise<unknown> }> {
  let report: (outcome: unknown) => void = () => undefined
  const outcome = new Promise<unknown>((resolve) => (report = resolve))
  server = http.createServer((req) => {
    readBody(req, { contentEncoding: undefined, maxBytes: 1024 * 1024 }).then(report, report)
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return { port: (server.address() as AddressInfo).port, outcome }
}

/** A chunked POST whose first piece has reached the server; the caller ends or drops it. */
async function startedRequest(port: number, firstPiece: string): Promise<http.ClientRequest> {
  const req = http.request({ port, method: 'POST', path: '/v1/traces' })
  req.on('error', () => undefined)
  req.write(firstPiece)
  await new Promise((resolve) => setTimeout(resolve, 20))
  return req
}

describe('nodeBodyReader', () => {
  it('reads a body sent in pieces over a real connection', async () => {
    const { port, outcome } = await readingServer()
    const req = await startedRequest(port, 'first,')
    req.end('second')
    const body = (await outcome) as Uint8Array
    expect(Buffer.from(body).toString()).toBe('first,second')
  })

  it('fails the read with 400 when the client goes away mid-body, and does not hang', async () => {
    const { port, outcome } = await readingServer()
    const req = await startedRequest(port, 'half a body')
    req.destroy()
    const err = await outcome
    expect(err).toBeInstanceOf(BodyError)
    expect((err as BodyError).status).toBe(400)
  })

  it('stops at cancel without destroying the stream, so the server can still answer and drain', async () => {
    const stream = Readable.from([Buffer.from('a'), Buffer.from('b'), Buffer.from('c')], { objectMode: false })
    const reader = nodeBodyReader(stream)
    const first = await reader.read()
    expect(first.done).toBe(false)
    await reader.cancel()
    expect(await reader.read()).toEqual({ done: true, value: undefined })
    expect(stream.destroyed).toBe(false)
  })

  it('rejects once the stream has failed', async () => {
    const stream = new Readable({ read() {} })
    const reader = nodeBodyReader(stream)
    const pending = reader.read()
    stream.destroy(new Error('socket hang up'))
    await expect(pending).rejects.toThrow('socket hang up')
    await expect(reader.read()).rejects.toThrow('socket hang up')
  })
})
