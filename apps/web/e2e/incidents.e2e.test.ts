/**
 * The incident feed end to end: a real server (embedded store) serving the real build, seeded
 * through OTLP (helpers/analytics-seed.ts: a day of history, a cost spike, a slower release, a
 * looping trace), the detector driven with `evaluate(now)`, everything checked in Chromium against
 * the API: the feed, acknowledge / snooze / resolve / reopen, the incident page with the traces
 * behind it, the shaded dashboard chart whose click opens the incident, and the alert webhooks.
 * Steps share one page and run in order; screenshots go to apps/web/test-results/.
 */
import type { Incident, ListIncidentsResponse } from '@sightline/schema'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getJson } from '@sightline/ingest/testing'
import { detectAnomalies, RELEASES, seedAnalytics, type AnalyticsSeed } from './helpers/analytics-seed.js'
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
const pageErrors: string[] = []

beforeAll(async () => {
  await ensureConsoleBuilt()
  // The webhook step's Slack-like host resolves to a public address here, offline.
  const resolveHost = async () => [{ address: '93.184.215.14', family: 4 as const }]
  server = await startTestServer({ SIGHTLINE_ANOMALY_INTERVAL_MS: '0' }, undefined, { resolveHost })
  seed = await seedAnalytics(server)
  await detectAnomalies(server, seed.now)
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
  page.on('pageerror', (e) => pageErrors.push(e.message))
  page.on('console', (m) => void (/Content Security Policy/i.test(m.text()) && pageErrors.push(m.text())))
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const feedFromApi = async (status = '') =>
  (await getJson<ListIncidentsResponse>(server, `/api/v1/incidents?limit=100${status ? `&status=${status}` : ''}`)).body
    .incidents
const card = (i: Incident) => page.locator(`article.incident[data-incident-id="${i.id}"]`)
const statusOf = async (i: Incident) => (await feedFromApi()).find((x) => x.id === i.id)?.status

describe('incident feed', () => {
  let spike: Incident
  let slowRelease: Incident

  it('lists each incident once, open and most severe first, with its explanation and traces', async () => {
    await signIn(page, server)
    await page.goto(`${server.url}/anomalies`)
    const api = await feedFromApi()
    spike = api.find((i) => i.family === 'cost')!
    slowRelease = api.find((i) => i.family === 'release_latency')!
    expect(spike.explanation).toMatch(/driven by gpt-4o/)
    expect(slowRelease.scope.release).toBe(RELEASES.slow)
    expect(api.find((i) => i.family === 'loop')).toMatchObject({ severity: 'info', traceIds: [seed.loopTraceId] })
    await page.locator('article.incident').first().waitFor()
    expect(
      await page
        .locator('article.incident')
        .evaluateAll((cards) => cards.map((c) => c.getAttribute('data-incident-id'))),
    ).toEqual(api.map((i) => i.id))
    await expect.poll(() => card(spike).locator('.incident-explanation').textContent()).toBe(spike.explanation)
    expect(await card(spike).getByText(`${spike.traceCount} traces`).count()).toBe(1)
    expect(await card(spike).getByRole('link', { name: 'Show on chart' }).getAttribute('href')).toMatch(
      /^\/dashboards\?/,
    )
    await screenshot(page, '40-incident-feed')
  })

  it('acknowledges, snoozes, resolves and reopens from the feed', async () => {
    await card(spike).getByRole('button', { name: 'Acknowledge' }).click()
    await expect.poll(() => statusOf(spike)).toBe('acknowledged')
    await card(spike).locator('[data-status="acknowledged"]').waitFor()

    await card(slowRelease).getByLabel('Snooze for').selectOption('120')
    await card(slowRelease).getByRole('button', { name: 'Snooze' }).click()
    await expect.poll(() => statusOf(slowRelease)).toBe('snoozed')
    const snoozed = (await feedFromApi()).find((i) => i.id === slowRelease.id)!
    expect(Date.parse(snoozed.snoozedUntil!) - Date.now()).toBeGreaterThan(119 * 60_000)
    await card(slowRelease)
      .getByText(/snoozed until/)
      .waitFor()
    await screenshot(page, '41-incident-actions')

    await card(spike).getByRole('button', { name: 'Resolve' }).click()
    await expect.poll(() => statusOf(spike)).toBe('resolved')
    // Resolved incidents leave the default view ("not resolved") and are listed under their status.
    await card(spike).waitFor({ state: 'detached' })
    await page.getByLabel('Status').selectOption('resolved')
    await page.waitForURL(/status=resolved/)
    await card(spike).getByRole('button', { name: 'Reopen' }).click()
    await expect.poll(() => statusOf(spike)).toBe('open')
    await page.getByLabel('Status').selectOption('active')
    await card(spike).locator('[data-status="open"]').waitFor()
    expect((await feedFromApi('resolved')).map((i) => i.id)).not.toContain(spike.id)
  })

  it('opens an incident with the traces behind it and the findings it groups', async () => {
    await card(spike).getByRole('link', { name: 'Details' }).click()
    await page.waitForURL(new RegExp(`/anomalies/${spike.id}$`))
    const traces = page.getByRole('region', { name: 'Traces behind it' })
    await traces.getByRole('link', { name: spike.traceIds[0]! }).waitFor()
    expect(await traces.locator('a.mono').count()).toBe(spike.traceIds.length)
    const findings = page.getByRole('region', { name: 'Findings' })
    await findings.locator('article.anomaly').first().waitFor()
    expect(await findings.locator('article.anomaly').count()).toBe(spike.findings)
    await screenshot(page, '42-incident-page')
    await traces.getByRole('link', { name: spike.traceIds[0]! }).click()
    await page.waitForURL(new RegExp(`/traces/${spike.traceIds[0]}`))
  })
})

describe('shaded charts', () => {
  it('shades the cost spike on the cost chart; a click on the shading opens the incident', async () => {
    const spike = (await feedFromApi()).find((i) => i.family === 'cost')!
    const from = new Date(seed.now - 6 * 3_600_000 + 5 * 60_000).toISOString()
    const to = new Date(seed.now + 5 * 60_000).toISOString()
    await page.goto(`${server.url}/dashboards?from=${from}&to=${to}`)
    const cost = page.locator('section.card[aria-label="Cost"]')
    const area = cost.locator('.recharts-reference-area.incident-area')
    await area.first().waitFor()
    expect(await area.count()).toBe(1)
    // The latency chart shades the slower release; the error chart has nothing to shade.
    await page
      .locator('section.card[aria-label="Trace latency"] .recharts-reference-area.incident-area')
      .first()
      .waitFor()
    expect(await page.locator('section.card[aria-label="Error rates"] .incident-area').count()).toBe(0)
    await expect
      .poll(() => cost.locator('.chart-anomalies li').allTextContents())
      .toEqual([expect.stringContaining('Cost spike')])
    await screenshot(page, '43-shaded-cost-chart')
    await area.locator('path, rect').first().dispatchEvent('click')
    await page.waitForURL(new RegExp(`/anomalies/${spike.id}$`))
    await page.goBack()
    await cost.locator('.chart-anomalies').getByRole('link', { name: 'traces' }).click()
    await page.waitForURL(/\/traces\?/)
    await page.locator('table.traces tbody tr').first().waitFor()
    expect(new URL(page.url()).searchParams.get('model')).toBe('gpt-4o')
  })
})

describe('alert webhooks', () => {
  it('adds an alert webhook, shows its secret once, rotates it, refuses private targets, deletes it', async () => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url })
    await page.goto(`${server.url}/anomalies`)
    const panel = page.getByRole('region', { name: 'Alert webhooks' })
    await panel.getByLabel('Webhook URL').fill('ftp://nope')
    await panel.getByRole('button', { name: 'Add webhook' }).click()
    await panel.getByRole('alert').waitFor()
    await panel.getByLabel('Webhook URL').fill('http://169.254.169.254/latest/meta-data/')
    await panel.getByRole('button', { name: 'Add webhook' }).click()
    await panel.getByRole('alert').filter({ hasText: '169.254.169.254 is a link-local address' }).waitFor()
    expect((await getJson<{ webhooks: unknown[] }>(server, '/api/v1/alerts/webhooks')).body.webhooks).toEqual([])

    const url = 'https://hooks.slack.example/services/T000/B000/XXXX'
    await panel.getByLabel('Webhook URL').fill(url)
    await panel.getByRole('button', { name: 'Add webhook' }).click()
    const notice = panel.getByRole('region', { name: 'Webhook signing secret' })
    const secret = (await notice.getByLabel('Secret').textContent()) ?? ''
    expect(secret).toMatch(/^whsec_[\w-]{43}$/)
    await notice.getByRole('button', { name: 'Copy' }).click()
    await notice.getByRole('button', { name: 'Copied' }).waitFor()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret)
    await panel.getByRole('table', { name: 'Webhooks' }).getByText('signed', { exact: true }).waitFor()
    const hooks = await getJson<{ webhooks: Array<{ url: string; signed: boolean }> }>(
      server,
      '/api/v1/alerts/webhooks',
    )
    expect(hooks.body.webhooks).toEqual([expect.objectContaining({ url, signed: true })])
    expect(JSON.stringify(hooks.body)).not.toContain(secret)
    await screenshot(page, '44-webhooks')
    await notice.getByRole('button', { name: 'Done' }).click()
    await notice.waitFor({ state: 'detached' })

    await panel.getByRole('button', { name: `Rotate the secret of ${url}` }).click()
    await notice.getByText('New signing secret').waitFor()
    const rotated = (await notice.getByLabel('Secret').textContent()) ?? ''
    expect(rotated).toMatch(/^whsec_/)
    expect(rotated).not.toBe(secret)
    await panel.getByRole('button', { name: `Delete ${url}` }).click()
    await panel.getByText('No webhooks yet').waitFor()
    expect(pageErrors).toEqual([])
  })
})
