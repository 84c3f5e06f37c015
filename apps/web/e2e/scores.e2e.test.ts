/**
 * Scores where people look, in Chromium: the trace list's score column and filter, the trace
 * header's scores with their sources, the dashboards' score panel, and the releases page with
 * scores per release, their 95 % intervals, the test used and the evaluation-gate result.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTraceRequest, traceIdFor } from '@sightline/testkit/otlp-json'
import {
  ensureConsoleBuilt,
  launchChromium,
  postOtlp,
  screenshot,
  signIn,
  startTestServer,
  type TestServer,
} from './helpers/console.js'

let server: TestServer
let browser: Browser
let page: Page
const pageErrors: string[] = []
const HOUR = 3_600_000
const seeds = (release: string) => Array.from({ length: 12 }, (_, i) => `${release}-${i}`)

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...server.authHeaders },
    body: JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
}

beforeAll(async () => {
  await ensureConsoleBuilt()
  server = await startTestServer({ SIGHTLINE_EVAL_INTERVAL_MS: '0' })
  const t0 = Date.now() - 3 * HOUR
  for (const [r, release] of ['2.3.0', '2.3.1'].entries()) {
    for (const [i, seed] of seeds(release).entries())
      await postOtlp(
        server,
        makeTraceRequest({
          seed,
          startMs: t0 + r * HOUR + i * 60_000,
          agent: 'planner',
          release,
          service: 'planner-agent',
        }),
      )
  }
  await server.drain()
  await post('/api/v1/scores', {
    scores: [
      ...seeds('2.3.0').map((s, i) => ({
        id: `fb-${s}`,
        traceId: traceIdFor(s),
        name: 'user_feedback',
        value: i % 2 === 0,
        source: 'sdk',
        comment: i === 0 ? 'took too long' : '',
      })),
      ...seeds('2.3.1').map((s, i) => ({
        id: `fb-${s}`,
        traceId: traceIdFor(s),
        name: 'user_feedback',
        value: i !== 3,
        source: 'sdk',
      })),
      {
        id: 'judge-1',
        traceId: traceIdFor('2.3.0-0'),
        name: 'judge_helpful',
        value: 0.2,
        label: 'unhelpful',
        source: 'evaluator',
        evaluator: 'helpfulness',
      },
    ],
  })
  await post('/api/v1/eval-runs', {
    runId: 'gate-run-0001',
    suite: 'planner-weather',
    release: '2.3.1',
    verdict: 'pass',
    exitCode: 0,
    startedAt: new Date(t0).toISOString(),
    finishedAt: new Date(t0 + 60_000).toISOString(),
    metrics: [{ metric: 'trajectory_in_order', n: 12, mean: 1, sd: 0, ciLow: 0.76, ciHigh: 1, method: 'Wilson' }],
    thresholds: [{ metric: 'trajectory_in_order', op: '>=', value: 0.9, actual: 1, passed: true }],
    baseline: null,
    cases: [],
    summary: '2.3.1: trajectory_in_order 1.00 (0.76–1.00), gate passed',
  })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
  page.on('pageerror', (e) => pageErrors.push(e.message))
  await signIn(page, server)
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('scores in the console', () => {
  it('the trace list shows scores and filters by them', async () => {
    await page.goto(`${server.url}/traces?score=${encodeURIComponent('user_feedback=false')}`)
    await page.locator('tr[data-trace-id]').first().waitFor()
    expect(await page.locator('tr[data-trace-id]').count()).toBe(7)
    expect(
      await page
        .locator(`tr[data-trace-id="${traceIdFor('2.3.1-3')}"] .score-chip`)
        .first()
        .textContent(),
    ).toBe('user_feedback 0.00')
    await page.getByLabel('Score filter').fill('judge_helpful<0.5')
    await page.getByLabel('Score filter').press('Enter')
    await page.waitForURL(/score=judge_helpful/)
    await expect.poll(() => page.locator('tr[data-trace-id]').count()).toBe(1)
  })

  it('the trace header shows its scores with their source', async () => {
    await page.goto(`${server.url}/traces/${traceIdFor('2.3.0-0')}`)
    const section = page.getByRole('region', { name: 'Trace scores' })
    await section.waitFor()
    expect(await section.textContent()).toMatch(/user_feedback✓app.*took too long/)
    expect(await section.textContent()).toMatch(/judge_helpful0\.20 · unhelpfulevaluator helpfulness/)
  })

  it('the dashboards plot a score by release', async () => {
    await page.goto(`${server.url}/dashboards?range=24h`)
    const panel = page.getByRole('region', { name: 'Scores' })
    await panel.locator('.recharts-legend-item').first().waitFor()
    expect(await panel.locator('.recharts-legend-item').allTextContents()).toEqual([
      '2.3.0 (0.50, n=12)',
      '2.3.1 (0.92, n=12)',
    ])
  })

  it('the releases page shows scores per release with intervals, the test and the gate', async () => {
    await page.goto(`${server.url}/releases?a=2.3.0&b=2.3.1`)
    const compared = page.getByRole('region', { name: 'Scores by release' })
    await compared.waitFor()
    const row = compared.locator('tr', { hasText: 'user_feedback' })
    const text = (await row.textContent()) ?? ''
    expect(text).toContain('0.50 (0.25–0.75)')
    expect(text).toContain('0.92 (0.65–0.99)')
    expect(text).toMatch(/two-proportion z-test, p = 0\.\d+/)
    expect(await compared.textContent()).toContain(
      'planner-weather: 2.3.1: trajectory_in_order 1.00 (0.76–1.00), gate passed',
    )
    const perRelease = page.getByRole('region', { name: 'Scores per release' })
    expect(await perRelease.locator('tr[data-release="2.3.1"]').textContent()).toMatch(
      /gate passed.*user_feedback 0\.92 \(0\.\d\d–0\.\d\d\) n=12, pass 0\.92 \(0\.65–0\.99\)/,
    )
    await screenshot(page, 'release-scores')
    expect(pageErrors).toEqual([])
  })
})
