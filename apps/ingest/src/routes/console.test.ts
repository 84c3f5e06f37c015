import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TRACE_VIEW_HEAD_SPANS } from '@sightline/schema'
import { consoleRoutes } from './console.js'

let dir: string
const JS = 'console.log("sightline");'.repeat(100)

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-console-'))
  fs.mkdirSync(path.join(dir, 'assets'))
  fs.writeFileSync(
    path.join(dir, 'index.html'),
    '<!doctype html><script type="module" src="/assets/index-abc.js"></script>',
  )
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc.js'), JS)
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc.js.br'), zlib.brotliCompressSync(JS))
  fs.writeFileSync(path.join(dir, 'assets', 'index-abc.js.gz'), zlib.gzipSync(JS))
})
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('console static route', () => {
  it('sends hashed assets precompressed, immutable, with Vary', async () => {
    const app = consoleRoutes(dir)
    const br = await app.request('/assets/index-abc.js', { headers: { 'Accept-Encoding': 'gzip, deflate, br' } })
    expect(br.headers.get('content-encoding')).toBe('br')
    expect(br.headers.get('vary')).toBe('Accept-Encoding')
    expect(br.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(br.headers.get('content-type')).toMatch(/javascript/)
    expect(zlib.brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(JS)

    const gz = await app.request('/assets/index-abc.js', { headers: { 'Accept-Encoding': 'gzip' } })
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    const identity = await app.request('/assets/index-abc.js')
    expect(identity.headers.get('content-encoding')).toBeNull()
    expect(identity.headers.get('vary')).toBe('Accept-Encoding')
    expect(await identity.text()).toBe(JS)
  })

  it('serves index.html uncached at /, /index.html and client-side routes', async () => {
    const app = consoleRoutes(dir)
    for (const url of ['/', '/index.html', '/traces/0123']) {
      const res = await app.request(url)
      expect(res.status).toBe(200)
      expect(res.headers.get('cache-control')).toBe('no-cache')
      expect(await res.text()).toContain('/assets/index-abc.js')
    }
  })

  it("has the browser preload a trace deep link's skeleton with the page, and nothing for other routes", async () => {
    const app = consoleRoutes(dir)
    const trace = await app.request('/traces/0123456789ABCDEF0123456789abcdef')
    expect(trace.headers.get('link')).toBe(
      `</api/v1/traces/0123456789abcdef0123456789abcdef/skeleton?head=${TRACE_VIEW_HEAD_SPANS}>; ` +
        'rel=preload; as=fetch; crossorigin',
    )
    for (const url of ['/', '/traces', '/traces/0123', '/traces/0123456789abcdef0123456789abcdef/x', '/sessions/a'])
      expect((await app.request(url)).headers.get('link'), url).toBeNull()
  })
})
