import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { allSpans, fixture } from '../../test/otlp-checks.js'
import { batchRequest, HttpError, MAX_BYTES, MAX_SPANS, sendRequest } from './send.js'
import { convertTauBench } from './tau-bench.js'

const FILE = 'gpt-4o-airline.json'
const request = convertTauBench(JSON.parse(fs.readFileSync(fixture(`tau-bench/${FILE}`), 'utf8')), { fileName: FILE })

describe('batchRequest', () => {
  it('cuts a whole tau-bench file into bounded requests that keep every span once, in order', () => {
    const batches = batchRequest(request)
    expect(batches.length).toBeGreaterThan(1)
    for (const batch of batches) {
      expect(allSpans(batch).length).toBeLessThanOrEqual(MAX_SPANS)
      expect(JSON.stringify(batch).length).toBeLessThanOrEqual(MAX_BYTES + 64 * 1024)
    }
    expect(batches.flatMap(allSpans).map((s) => s.spanId)).toEqual(allSpans(request).map((s) => s.spanId))
  })

  it('splits one large trace across requests, repeating its resource', () => {
    const batches = batchRequest({ resourceSpans: request.resourceSpans.slice(0, 1) }, 5)
    const spans = allSpans({ resourceSpans: request.resourceSpans.slice(0, 1) })
    expect(batches).toHaveLength(Math.ceil(spans.length / 5))
    for (const batch of batches) expect(batch.resourceSpans[0]!.resource).toEqual(request.resourceSpans[0]!.resource)
  })
})

describe('sendRequest', () => {
  it('sends bearer-authenticated JSON and surfaces the server message on errors', async () => {
    const seen: Array<{ auth: string | undefined; type: string | undefined }> = []
    const server = http.createServer((req, res) => {
      seen.push({ auth: req.headers.authorization, type: req.headers['content-type'] })
      req.resume()
      req.on('end', () => {
        res.writeHead(seen.length === 1 ? 200 : 400, { 'content-type': 'application/json' })
        res.end(seen.length === 1 ? '{}' : JSON.stringify({ code: 3, message: 'span is broken' }))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    try {
      const small = { resourceSpans: request.resourceSpans.slice(0, 1) }
      expect((await sendRequest(small, url, 'k1')).requests).toBe(1)
      await expect(sendRequest(small, url, 'k1')).rejects.toThrow(HttpError)
      await expect(sendRequest(small, url, 'k1')).rejects.toThrow(/HTTP 400: span is broken/)
      expect(seen[0]).toEqual({ auth: 'Bearer k1', type: 'application/json' })
    } finally {
      server.close()
    }
  })
})
