/**
 * Quarantined spans are visible to their project in the console: a span the store refused (written
 * straight into the spool, as an older version could have) shows a notice on the traces page and
 * the dashboards, and the details page names it with the reason. Another project sees nothing.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { makeSpanRow } from '@sightline/ingest/testing/span-row'
import {
  ensureConsoleBuilt,
  launchChromium,
  screenshot,
  signIn,
  startTestServer,
  type TestServer,
} from './helpers/console.js'

let server: TestServer
let browser: Browser
let page: Page
const pageErrors: string[] = []
const refused = { trace_id: 'c0ffee'.padEnd(32, '1'), span_id: 'bad0'.padEnd(16, '2') }

beforeAll(async () => {
  await ensureConsoleBuilt()
  server = await startTestServer({ SIGHTLINE_ANOMALY_INTERVAL_MS: '0' })
  const now = new Date().toISOString().replace('T', ' ').replace('Z', '000000')
  await server.deps.writer.write([
    makeSpanRow({
      trace_id: 'c0ffee'.padEnd(32, '3'),
      span_id: 'good'.replace(/o/g, '0').padEnd(16, '4'),
      start_time: now,
      end_time: now,
    }),
    makeSpanRow({ ...refused, start_time: '2554-07-21 23:34:33.709551615', end_time: now }),
  ])
  await server.drain()
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  page.on('pageerror', (e) => pageErrors.push(e.message))
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

it('the traces page and the dashboards say spans were quarantined, and the details name them', async () => {
  await signIn(page, server)
  const notice = page.getByTestId('quarantine-notice')
  await notice.waitFor()
  expect(await notice.textContent()).toMatch(
    /1 span of this project was refused by the store .*DECIMAL_OVERFLOW \(407\)/,
  )
  await screenshot(page, 'quarantine-traces-notice')

  await page.goto(`${server.url}/dashboards`)
  await page.getByTestId('quarantine-notice').waitFor()

  await page.getByTestId('quarantine-notice').getByRole('link', { name: 'Details' }).click()
  await page.waitForURL(/\/quarantine\?/)
  await page.getByRole('heading', { name: 'Quarantined spans' }).waitFor()
  await page.getByText(refused.span_id).waitFor()
  expect(await page.locator('table').first().textContent()).toContain('DECIMAL_OVERFLOW (407)')
  await screenshot(page, 'quarantine-details')
  expect(pageErrors).toEqual([])
})

it('another project sees no notice', async () => {
  const other = await server.deps.projects.createProject('clean')
  const context = await browser.newContext()
  const fresh = await context.newPage()
  await signIn(fresh, server, other.apiKey)
  await fresh.getByRole('heading', { name: 'Traces' }).waitFor()
  await fresh.waitForLoadState('networkidle')
  expect(await fresh.getByTestId('quarantine-notice').count()).toBe(0)
  await context.close()
})
