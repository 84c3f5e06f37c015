import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { makeSpanRow } from '../../test/factories/span-row.js'
import type { Store } from '../db/client.js'
import type { QuarantineRepository } from '../db/repositories/quarantine.js'
import { createLogger } from '../logger.js'
import { createMetrics } from '../metrics.js'
import { SpanWriter } from './writer.js'

const dirs: string[] = []
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

/** A store whose inserts wait until the test lets each one finish (or fail), in any order. */
class HeldStore {
  readonly held: Array<{ token: string; rows: number; finish: (error?: Error) => void }> = []
  readonly stored = new Map<string, number>()
  maxInFlight = 0

  asStore(): Store {
    return {
      insertValues: (_table: string, _columns: readonly string[], _format: string, body: Buffer, token: string) =>
        new Promise<void>((resolve, reject) => {
          const rows = body.toString('utf8').split('\n').filter(Boolean).length
          this.held.push({
            token,
            rows,
            finish: (error) => {
              this.held.splice(this.held.indexOf(entry), 1)
              if (error) return reject(error)
              this.stored.set(token, (this.stored.get(token) ?? 0) + rows)
              resolve()
            },
          })
          const entry = this.held[this.held.length - 1]!
          this.maxInFlight = Math.max(this.maxInFlight, this.held.length)
        }),
      query: async () => [{ '1': 1 }],
    } as unknown as Store
  }
}

function writerOn(store: HeldStore): SpanWriter {
  const spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-writer-'))
  dirs.push(spoolDir)
  // One request per segment: every write is sealed on its own.
  const options = { spoolDir, maxSpoolBytes: 1 << 30, segmentBytes: 1, segmentMaxAgeMs: 600_000 }
  return new SpanWriter(store.asStore(), options, createMetrics(), createLogger('silent'), {} as QuarantineRepository)
}

const rows = (trace: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    makeSpanRow({ trace_id: trace.padStart(32, '0'), span_id: String(i + 1).padStart(16, '0') }),
  )

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 2))
  expect(condition()).toBe(true)
}

describe('SpanWriter loaders', () => {
  it('inserts one segment at a time while the store keeps up, and a second only for a segment that waits', async () => {
    const store = new HeldStore()
    const writer = writerOn(store)
    await writer.start()
    await writer.write(rows('a', 2))
    await until(() => store.held.length === 1)
    expect(writer.backlogged).toBe(false)

    await writer.write(rows('b', 3))
    await until(() => store.held.length === 2)
    expect(writer.backlogged).toBe(true)

    await writer.write(rows('c', 4))
    // Never a third insert: the segment waits for a loader.
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(store.held).toHaveLength(2)

    let drained = false
    const drain = writer.drain().then(() => (drained = true))
    store.held[1]!.finish()
    await until(() => store.held.length === 2)
    store.held[0]!.finish()
    await until(() => store.held.length === 1)
    expect(drained).toBe(false)
    store.held[0]!.finish()
    await drain
    expect(store.maxInFlight).toBe(2)
    expect([...store.stored.values()].sort()).toEqual([2, 3, 4])
    expect(writer.backlogged).toBe(false)
  })

  it('keeps segments whose inserts failed, retries them with one loader, and stores each once', async () => {
    const store = new HeldStore()
    const writer = writerOn(store)
    await writer.start()
    await writer.write(rows('a', 2))
    await writer.write(rows('b', 3))
    await until(() => store.held.length === 2)
    const drain = writer.drain()
    const busy = () => Object.assign(new Error('Memory limit exceeded'), { clickhouseCode: 241 })
    store.held[1]!.finish(busy())
    store.held[0]!.finish(busy())
    // Both go back; after the back-off a single loader retries while the store may still be failing.
    await until(() => store.held.length === 1)
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(store.held).toHaveLength(1)
    store.held[0]!.finish()
    await until(() => store.held.length === 1)
    store.held[0]!.finish()
    await drain
    expect([...store.stored.values()].sort()).toEqual([2, 3])
    expect(store.stored.size).toBe(2)
  })
})
