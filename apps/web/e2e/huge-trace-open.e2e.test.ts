/**
 * Huge traces open fast (issue 18): a 10,000- and a 100,000-span agent loop, opened by navigation
 * in Debian's Chromium against the real server and build, first rows painted and usable (keyboard
 * selection moves). The 10k open is asserted within its acceptance time (0.5 s on an idle machine)
 * times a slack that grows with the machine's load, the best of two opens (a load spike hits one
 * open, a slow trace view all). The 100k trace is measured by `pnpm bench:trace-view` only
 * (BENCHMARKS.md): ingesting and resolving it took minutes inside the suite on the shared 2-core
 * machine, beyond what CI can spend, and no bound on its open that passes under load would catch a
 * regression. The skeleton must come as columns, a fraction of the row form's bytes (0.31 MB gzipped
 * before), and in lines: the trace's first spans are drawn before the whole has arrived, then replaced by it.
 */
import os from 'node:os'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { traceIdFor } from '@sightline/testkit/otlp-json'
import { makeHugeTrace } from './helpers/agent-traces.js'
import {
  ensureConsoleBuilt,
  launchChromium,
  postOtlp,
  signIn,
  startTestServer,
  type TestServer,
} from './helpers/console.js'
import { traceOpenMarks, watchTraceOpens } from './helpers/trace-open.js'

/** 4× on an idle machine, more per runnable process beyond one per core (1-minute load average). */
const slack = () => 4 * Math.max(1, os.loadavg()[0]! / os.cpus().length)

let server: TestServer
let browser: Browser
let page: Page
const pageErrors: string[] = []

beforeAll(async () => {
  await ensureConsoleBuilt()
  server = await startTestServer({ LOG_LEVEL: 'error' })
  for (const spans of [10_000]) {
    for (const body of makeHugeTrace(`open-${spans}`, Date.now() - 30 * 60_000, spans)) await postOtlp(server, body)
  }
  await server.drain()
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  page.on('pageerror', (e) => pageErrors.push(e.message))
  await watchTraceOpens(page)
  await signIn(page, server)
}, 600_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

async function openMs(traceId: string): Promise<{
  ms: number
  headShown: boolean
  skeletonBytes: number
  skeletonRequests: Array<{ by: string; status: number }>
}> {
  await page.goto(`${server.url}/traces/${traceId}`, { waitUntil: 'commit' })
  const { paintedAt, headShown } = await traceOpenMarks(page, 120_000)
  const requests = await page.evaluate((id) => {
    const entries = performance
      .getEntriesByType('resource')
      .filter((r) => r.name.includes(`/api/v1/traces/${id}/skeleton`)) as PerformanceResourceTiming[]
    return {
      skeletonBytes: entries[0]?.encodedBodySize ?? -1,
      skeletonRequests: entries.map((e) => ({ by: e.initiatorType, status: e.responseStatus })),
    }
  }, traceId)
  return { ms: paintedAt, headShown, ...requests }
}

describe('huge traces open fast', () => {
  it.each<[number, number, number, number | undefined]>([[10_000, 2, 250_000, 500]])(
    '%i spans: first rows painted and usable, skeleton in columns',
    async (spans, opens, maxBytes, targetMs) => {
      const traceId = traceIdFor(`open-${spans}`)
      const times: number[] = []
      for (let i = 0; i < opens; i++) {
        const { ms, headShown, skeletonBytes, skeletonRequests } = await openMs(traceId)
        times.push(ms)
        // The first open drew the first spans before the whole came; an open again finds the trace's
        // resolution kept, and the whole comes at once.
        expect(headShown).toBe(i === 0)
        // Started by the page's preload (routes/console.ts) and taken over by the app: asked again only
        // when the server said it was too busy (the client's retry after 429/503 + Retry-After).
        expect(skeletonRequests[0]?.by).toBe('link')
        for (let r = 1; r < skeletonRequests.length; r++) expect([429, 503]).toContain(skeletonRequests[r - 1]!.status)
        expect(skeletonBytes).toBeGreaterThan(0)
        expect(skeletonBytes).toBeLessThan(maxBytes)
      }
      console.log(
        `${spans} spans: opens ${times.map((t) => Math.round(t)).join(', ')} ms (load ${os.loadavg()[0]!.toFixed(1)})`,
      )
      if (targetMs !== undefined) expect(Math.min(...times)).toBeLessThan(targetMs * slack())

      // The whole replaced the head: the critical path (drawn for a whole trace only) is in the legend.
      await expect.poll(() => page.getByText('critical path').count()).toBe(1)
      // Usable: virtualised rows, the root first, and the keyboard moves the selection down the tree.
      expect(await page.locator('.timeline-row[data-span-id]').count()).toBeLessThan(120)
      const first = page.locator('.timeline-row[data-span-id]').first()
      await first.click()
      const rootId = await first.getAttribute('data-span-id')
      await page.keyboard.press('ArrowDown')
      await expect.poll(() => page.locator('.timeline-row.selected').getAttribute('data-span-id')).not.toBe(rootId)
      expect(pageErrors).toEqual([])
    },
    300_000,
  )
})
