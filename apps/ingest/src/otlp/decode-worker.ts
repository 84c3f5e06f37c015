/**
 * Decode worker thread (see decode-pool.ts): receives large bodies as they arrive, decompresses
 * them (zlib on the thread pool, several bodies at once, each counted against the size limit as
 * it inflates), then decodes, normalises, prices and encodes one body at a time. That last step is
 * synchronous and may take seconds for a hostile body: the reason it runs here.
 */
import os from 'node:os'
import { parentPort, workerData } from 'node:worker_threads'
import type { Gunzip, Inflate } from 'node:zlib'
import { encodeRowsWithKeys } from '../ingest/encoded-rows.js'
import { OtlpDecodeError } from './decode.js'
import type { DecodeWorkerData, FromWorker, ToWorker } from './decode-pool.js'
import { rowsFromBody } from './rows-from-body.js'
import { BodyError, createDecompressor, tooLarge, toBodyError, type Coding } from './read-body.js'

interface Receiving {
  coding: Coding
  maxBytes: number
  parts: Buffer[]
  bytes: number
  zlib: Gunzip | Inflate | undefined
  /** Set once an error was sent for this body: nothing more is sent for it. */
  failed: boolean
}

/**
 * Below the event loop's CPU priority, like the store's threads (store-threads.ts): on a busy
 * machine the event loop then answers health checks and small batches first. Linux only, where a
 * nice value belongs to the calling thread; elsewhere it would lower the whole process.
 */
function lowerOwnPriority(increment: number): void {
  if (increment <= 0 || process.platform !== 'linux') return
  os.setPriority(0, Math.min(19, os.getPriority(0) + increment))
}

if (!parentPort) throw new Error('decode-worker runs as a worker thread of decode-pool.ts')
const port = parentPort
const bodies = new Map<number, Receiving>()
lowerOwnPriority((workerData as DecodeWorkerData).niceIncrement)

const send = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer)

function fail(id: number, body: Receiving, error: BodyError): void {
  if (body.failed) return
  body.failed = true
  body.zlib?.destroy()
  body.parts = []
  send({ id, type: 'body-error', status: error.status, message: error.message })
}

function collect(id: number, body: Receiving, out: Buffer): void {
  if (body.failed) return
  if (body.bytes + out.length > body.maxBytes) return fail(id, body, tooLarge(body.maxBytes, body.coding))
  body.bytes += out.length
  body.parts.push(out)
}

function open(id: number, coding: Coding, maxBytes: number): void {
  const body: Receiving = { coding, maxBytes, parts: [], bytes: 0, zlib: createDecompressor(coding), failed: false }
  body.zlib?.on('data', (out: Buffer) => collect(id, body, out))
  body.zlib?.on('error', (err) => fail(id, body, toBodyError(err, coding)))
  bodies.set(id, body)
}

function data(id: number, parts: Uint8Array[]): void {
  const body = bodies.get(id)
  if (!body || body.failed) return
  for (const part of parts) {
    const chunk = Buffer.from(part.buffer, part.byteOffset, part.byteLength)
    if (body.zlib) body.zlib.write(chunk)
    else collect(id, body, chunk)
  }
}

async function end(message: Extract<ToWorker, { type: 'end' }>): Promise<void> {
  const body = bodies.get(message.id)
  if (!body) return
  if (body.zlib && !body.failed) {
    const zlib = body.zlib
    await new Promise<void>((resolve) => {
      zlib.once('end', resolve).once('close', resolve)
      zlib.end()
    })
  }
  bodies.delete(message.id)
  if (body.failed) return
  send({ id: message.id, type: 'decoding' })
  const { answer, transfer } = decode(message, Buffer.concat(body.parts, body.bytes))
  send(answer, transfer)
}

function decode(
  { id, encoding, options }: Extract<ToWorker, { type: 'end' }>,
  bytes: Buffer,
): { answer: FromWorker; transfer: ArrayBuffer[] } {
  try {
    const { rows, rejected, unstorable } = rowsFromBody(bytes, encoding, options)
    const encoded = encodeRowsWithKeys(rows)
    const transfer = [encoded.lineEnds.buffer as ArrayBuffer]
    // A Buffer from Node's shared pool (under 4 KiB) must be copied, not moved.
    if (encoded.data.byteOffset === 0 && encoded.data.byteLength === encoded.data.buffer.byteLength)
      transfer.push(encoded.data.buffer as ArrayBuffer)
    return { answer: { id, type: 'done', encoded, rejected, unstorable }, transfer }
  } catch (err) {
    if (err instanceof OtlpDecodeError)
      return { answer: { id, type: 'decode-error', message: err.message, path: err.path }, transfer: [] }
    return {
      answer: { id, type: 'fault', message: err instanceof Error ? (err.stack ?? err.message) : String(err) },
      transfer: [],
    }
  }
}

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'open':
      return open(message.id, message.coding, message.maxBytes)
    case 'data':
      return data(message.id, message.parts)
    case 'end':
      return void end(message)
    case 'abort':
      bodies.get(message.id)?.zlib?.destroy()
      bodies.delete(message.id)
  }
})
