/**
 * The embedded engine's threads run below the event loop's priority (SIGHTLINE_STORE_NICE), and
 * Node's own threads are left alone. Linux only, like the feature.
 */
import fs from 'node:fs'
import os from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../helpers/server.js'
import { waitFor } from './helpers.js'

function threads(): Array<{ tid: number; name: string; nice: number }> {
  return fs.readdirSync('/proc/self/task').flatMap((t) => {
    try {
      return [
        {
          tid: Number(t),
          name: fs.readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim(),
          nice: os.getPriority(Number(t)),
        },
      ]
    } catch {
      return []
    }
  })
}

let server: TestServer
beforeAll(async () => {
  // Decode workers lower their own thread (INGEST_DECODE_WORKER_NICE); kept at 0 here, as they are
  // Node threads this test tells apart from the engine's by name only.
  server = await startTestServer({ SIGHTLINE_STORE_NICE: '7', INGEST_DECODE_WORKER_NICE: '0' })
})
afterAll(async () => {
  await server.stop()
  fs.rmSync(server.dataDir, { recursive: true, force: true })
})

describe.runIf(process.platform === 'linux')('store thread priority', () => {
  it('lowers every ClickHouse thread to the configured nice value and leaves Node threads at 0', async () => {
    await waitFor(
      'engine threads to be lowered',
      async () => {
        const engine = threads().filter((t) => t.name !== 'node')
        return engine.length > 0 && engine.every((t) => t.nice === 7) ? true : undefined
      },
      5_000,
    )
    const all = threads()
    expect(all.find((t) => t.tid === process.pid)?.nice).toBe(0)
    expect(all.filter((t) => t.name === 'node').every((t) => t.nice === 0)).toBe(true)
    expect(all.some((t) => t.name === 'MergeMutate' || t.name === 'BgSchPool')).toBe(true)
  })
})
