/**
 * Dashboards and release comparison end to end (the incident feed has its own, incidents.e2e.test.ts): a real server
 * (embedded store)
 * serving the real build, seeded through OTLP (helpers/analytics-seed.ts), the detector driven
 * with `evaluate(now)`, everything checked in Chromium against the API. Steps share one page and
 * run in order; screenshots go to apps/web/test-results/.
 */
import type { OverviewResponse, OverviewTotals, UnpricedModelsResponse } from '@sightline/schema'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getJson } from '@sightline/ingest/testing'
import {
  detectAnomalies,
  RELEASES,
  seedAnalytics,
  UNPRICED_MODEL,
  type AnalyticsSeed,
} from './helpers/analytics-seed.js'
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
let seed: AnalyticsSeed
let range: { from: string; to: string }
const pageErrors: string[] = []

beforeAll(async () => {
  await ensureConsoleBuilt()
  // The webhook step's Slack-like host resolves to a public address here, offline.
  const resolveHost = async () => [{ address: '93.184.215.14', family: 4 as const }]
  server = await startTestServer({ SIGHTLINE_ANOMALY_INTERVAL_MS: '0' }, undefined, { resolveHost })
  seed = await seedAnalytics(server)
  await detectAnomalies(server, seed.now)
  // Exactly 6 hours, so the charts use 5-minute points.
  range = {
    from: new Date(seed.now - 6 * 3_600_000 + 5 * 60_000).toISOString(),
    to: new Date(seed.now + 5 * 60_000).toISOString(),
  }
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
  page.on('pageerror', (e) => pageErrors.push(e.message))
  // Chromium logs each Content-Security-Policy refusal to the console: the console must run under the CSP.
  page.on('console', (m) => void (/Content Security Policy/i.test(m.text()) && pageErrors.push(m.text())))
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const dashboardsUrl = () => `${server.url}/dashboards?from=${range.from}&to=${range.to}`
/** What each tile shows, straight from the API (tiles carry the raw number in data-value). */
const TILE_VALUES: Record<string, (t: OverviewTotals) => number | null> = {
  Cost: (t) => t.costUsd,
  Traces: (t) => t.traces,
  'LLM calls': (t) => t.llmCalls,
  Tokens: (t) => t.tokens.input + t.tokens.output,
  'Error rate': (t) => t.errorRate,
  'Recovered rate': (t) => t.recoveredRate,
  'Tool error rate': (t) => t.toolErrorRate,
  'Latency p50': (t) => t.latencyMs.p50,
  'Latency p95': (t) => t.latencyMs.p95,
  'Unpriced calls': (t) => t.unpricedCalls,
}
const tileNumber = async (label: string) => Number(await tile(label).getAttribute('data-value'))
const tile = (label: string) => page.getByRole('group', { name: label, exact: true }).locator('.tile-value')
const card = (title: string) => page.locator(`section.card[aria-label="${title}"]`)
const overview = async () =>
  (await getJson<OverviewResponse>(server, `/api/v1/analytics/overview?from=${range.from}&to=${range.to}`)).body

describe('dashboards', () => {
  it('shows overview tiles equal to the API and renders real series', async () => {
    await signIn(page, server)
    await page.goto(dashboardsUrl())
    await tile('Cost').waitFor()
    const api = await overview()
    expect(api.current.traces).toBeGreaterThan(500)
    for (const [label, value] of Object.entries(TILE_VALUES))
      await expect.poll(() => tileNumber(label), { message: label }).toBe(value(api.current))
    expect(await tile('Traces').textContent()).toBe(api.current.traces.toLocaleString('en-US'))
    expect(await tile('Cost').textContent()).toBe(`$${api.current.costUsd.toFixed(2)}`)
    for (const title of ['Cost', 'Tokens by kind', 'Trace latency', 'Error rates'])
      await card(title).locator('.recharts-surface').first().waitFor()
    expect(await card('Cost').locator('.recharts-bar-rectangle').count()).toBeGreaterThan(50)
    // The unpriced model costs nothing yet, so it ranks in no cost series (it has its own card below).
    expect(await card('Cost').locator('.recharts-legend-item').allTextContents()).toEqual(
      expect.arrayContaining(['gpt-4o', 'gpt-4o-mini']),
    )
    // The detector's cost spike incident is shaded on the cost chart.
    await card('Cost').locator('.recharts-reference-area').first().waitFor()
    await screenshot(page, '20-dashboards')
    await page.getByRole('button', { name: 'release' }).click()
    await page.waitForURL(/groupBy=release/)
    await expect
      .poll(() => card('Cost').locator('.recharts-legend-item').allTextContents())
      .toEqual(expect.arrayContaining([RELEASES.fast, RELEASES.slow]))
  })

  it('names the unattributed share of a split, and the split adds up to the overview cost', async () => {
    await page.goto(`${dashboardsUrl()}&groupBy=user`)
    const totals = page.getByRole('list', { name: 'Totals by user' })
    await totals.waitFor()
    // The looping trace has no user: its cost is the "unattributed" share, not dropped.
    expect(await totals.locator('li.unattributed .split-name').textContent()).toBe('unattributed')
    const sum = Number(await totals.locator('li.split-sum [data-value]').getAttribute('data-value'))
    const api = await overview()
    expect(Math.abs(sum - api.current.costUsd)).toBeLessThanOrEqual(api.current.costUsd * 0.005)
    await screenshot(page, '20b-cost-by-user')
  })

  it('says what the error rate divides, and its tile opens exactly the failed traces it counts', async () => {
    await page.goto(dashboardsUrl())
    const api = (await overview()).current
    expect(api.failedTraces).toBeGreaterThan(0)
    const group = page.getByRole('group', { name: 'Error rate', exact: true })
    const finished = Math.round(api.failedTraces / api.errorRate!)
    await expect
      .poll(() => group.locator('.tile-detail').textContent())
      .toBe(`${api.failedTraces} failed / ${finished.toLocaleString('en-US')} finished traces`)
    expect(await card('Error rates').textContent()).toContain('failed traces / finished traces')
    await group.getByRole('link').click()
    await page.waitForURL(/\/traces\?.*status=failed/)
    await expect.poll(() => page.locator('table.traces tbody tr').count()).toBe(api.failedTraces)
    expect(await page.locator('table.traces tbody tr[data-outcome="failed"]').count()).toBe(api.failedTraces)
    expect(await page.locator('.page-head .muted').first().textContent()).toBe(`${api.failedTraces} traces`)
    await screenshot(page, '20c-error-rate-click')
  })

  it('opens the explorer filtered to a clicked chart point', async () => {
    await page.goto(dashboardsUrl())
    const bars = card('Cost').locator('.recharts-bar-rectangle path[name="gpt-4o"]')
    await bars.first().waitFor()
    // The last gpt-4o segment: a bucket of the spike.
    await bars.last().click()
    await page.waitForURL(/\/traces\?/)
    const q = new URL(page.url()).searchParams
    expect(q.get('range')).toBe('custom')
    expect(Date.parse(q.get('to')!) - Date.parse(q.get('from')!)).toBe(5 * 60_000)
    expect(q.get('model')).toBeTruthy()
    await page.locator('table.traces tbody tr').first().waitFor()
    expect(q.get('model')).toBe('gpt-4o')
    const api = await getJson<{ traces: unknown[] }>(
      server,
      `/api/v1/traces?model=gpt-4o&from=${q.get('from')}&to=${q.get('to')}&limit=50`,
    )
    expect(api.body.traces.length).toBeGreaterThan(0)
    await expect.poll(() => page.locator('table.traces tbody tr').count()).toBe(api.body.traces.length)
    await screenshot(page, '21-chart-click-explorer')
  })

  it('sets a price for the unpriced model and the tiles update', async () => {
    await page.goto(dashboardsUrl())
    const unpriced = card('Models without a price')
    await unpriced.getByText(UNPRICED_MODEL).waitFor()
    const before = await overview()
    expect(before.current.unpricedCalls).toBeGreaterThan(0)
    await unpriced.getByRole('button', { name: 'Set price' }).click()
    const dialog = page.getByRole('dialog', { name: `Set a price for ${UNPRICED_MODEL}` })
    await dialog.getByLabel('Input $/Mtok', { exact: true }).fill('30')
    await dialog.getByLabel('Output $/Mtok').fill('60')
    await screenshot(page, '22-price-dialog')
    await dialog.getByRole('button', { name: 'Save price' }).click()
    await unpriced.getByText('Every model in this range has a price.').waitFor()
    const after = await overview()
    expect(after.current.unpricedCalls).toBe(0)
    expect(after.current.costUsd).toBeGreaterThan(before.current.costUsd)
    await expect.poll(() => tile('Unpriced calls').textContent()).toBe('0')
    await expect.poll(() => tileNumber('Cost')).toBe(after.current.costUsd)
    const models = await getJson<UnpricedModelsResponse>(
      server,
      `/api/v1/analytics/unpriced-models?from=${range.from}&to=${range.to}`,
    )
    expect(models.body.models).toEqual([])
    await screenshot(page, '23-priced')
  })
})

describe('release comparison', () => {
  it('shows the slower release with its interval, test and p-value', async () => {
    await page.goto(`${server.url}/releases`)
    await page.getByRole('button', { name: 'Canary vs baseline' }).click()
    await page.waitForURL(/a=.*&b=/)
    await page.goto(`${server.url}/releases?a=${RELEASES.fast}&b=${RELEASES.slow}`)
    const verdict = page.locator('.verdict.worse').first()
    await verdict.waitFor()
    const text = (await verdict.textContent()) ?? ''
    expect(text).toMatch(
      new RegExp(
        `${RELEASES.slow.replace(/\./g, '\\.')} is \\d\\.\\d× slower than ${RELEASES.fast.replace(/\./g, '\\.')}`,
      ),
    )
    expect(text).toMatch(/95 % CI \d\.\d–\d\.\d×, Welch t-test on log latency of agent invocations, p < 0\.001/)
    expect(await page.locator('.release-table tbody tr').count()).toBe(8)
    await screenshot(page, '24-releases')
    expect(pageErrors).toEqual([])
  })
})
