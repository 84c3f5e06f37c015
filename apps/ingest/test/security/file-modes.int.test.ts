/**
 * Everything the server keeps on disk is owner-only: spans hold prompts and tool payloads, the store
 * holds key hashes. A data directory left wider by an older install is tightened at start.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, TEST_STORE, type TestServer } from '../helpers/server.js'

let server: TestServer
let parent: string
const mode = (p: string) => fs.statSync(p).mode & 0o777

beforeAll(async () => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-modes-'))
  const dataDir = path.join(parent, 'data')
  fs.mkdirSync(dataDir)
  fs.chmodSync(dataDir, 0o755)
  server = await startTestServer({}, dataDir)
})
afterAll(async () => {
  await server?.stop()
  fs.rmSync(parent, { recursive: true, force: true })
})

describe('file modes', () => {
  it('makes the data, store and spool directories 0700', () => {
    expect(mode(server.dataDir)).toBe(0o700)
    // The embedded store lives in the data directory; with a ClickHouse server there is none.
    if (TEST_STORE === 'embedded') expect(mode(path.join(server.dataDir, 'clickhouse'))).toBe(0o700)
    else expect(fs.existsSync(path.join(server.dataDir, 'clickhouse'))).toBe(false)
    expect(mode(path.join(server.dataDir, 'spool'))).toBe(0o700)
  })

  it('creates spool segments 0600', async () => {
    const spool = path.join(server.dataDir, 'spool')
    const seen = new Set<number>()
    const watcher = fs.watch(spool, (_event, name) => {
      if (!name?.endsWith('.jsonl')) return
      try {
        seen.add(mode(path.join(spool, name)))
      } catch {
        // Loaded and deleted before we looked: the next segment will do.
      }
    })
    const body = {
      resourceSpans: [
        {
          resource: { attributes: [] },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: '0af7651916cd43dd8448eb211c80319c',
                  spanId: 'b7ad6b7169203331',
                  name: 'x',
                  startTimeUnixNano: '1767261600000000000',
                  endTimeUnixNano: '1767261601000000000',
                },
              ],
            },
          ],
        },
      ],
    }
    for (let i = 0; i < 20 && seen.size === 0; i++) {
      const res = await fetch(`${server.url}/v1/traces`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...server.authHeaders },
        body: JSON.stringify(body),
      })
      expect(res.status).toBe(200)
      await new Promise((r) => setTimeout(r, 50))
    }
    watcher.close()
    expect([...seen]).toEqual([0o600])
  })
})
