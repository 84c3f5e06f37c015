/**
 * The console end to end: real ingest server (embedded store) serving the real build, seeded
 * through OTLP, driven in Debian's Chromium. Steps share one page and run in order; each writes a
 * screenshot to apps/web/test-results/.
 */
import fs from 'node:fs'
import path from 'node:path'
import { alignTrajectories, toTrajectory } from '@sightline/core'
import type { GetTraceResponse } from '@sightline/schema'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getJson } from '@sightline/ingest/testing'
import { traceIdFor } from '@sightline/testkit/otlp-json'
import { makeMultiAgentTrace } from './helpers/agent-traces.js'
import {
  ensureConsoleBuilt,
  launchChromium,
  postOtlp,
  screenshot,
  signIn,
  startTestServer,
  WEB_ROOT,
  type TestServer,
} from './helpers/console.js'
import { seedConsoleData, type Seeded } from './helpers/seed.js'

let server: TestServer
let browser: Browser
let page: Page
let seeded: Seeded
const pageErrors: string[] = []
/** Chromium logs every Content-Security-Policy refusal as a console error. */
const cspViolations: string[] = []

beforeAll(async () => {
  await ensureConsoleBuilt()
  server = await startTestServer()
  seeded = await seedConsoleData(server, { hugeSpans: 10_000 })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  page.on('pageerror', (e) => pageErrors.push(e.message))
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text())
  })
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const rows = () => page.locator('table.traces tbody tr')
/** The resolved trace as the API returns it: what every page must agree with. */
const traceOf = async (traceId: string) => (await getJson<GetTraceResponse>(server, `/api/v1/traces/${traceId}`)).body

describe('console', () => {
  it('sends a signed-out user to the sign-in page and rejects a wrong key', async () => {
    await page.goto(`${server.url}/traces`)
    await page.waitForURL(/\/signin\?next=/)
    await page.getByLabel('Project API key').fill('wrong-key')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Unknown or revoked')
    await screenshot(page, '01-signin')
    await signIn(page, server)
  })

  it('lists traces and filters by agent and outcome through the URL', async () => {
    await rows().first().waitFor()
    expect(await rows().count()).toBe(50)
    await screenshot(page, '02-explorer')
    await page.getByRole('button', { name: 'Agent filter' }).click()
    await page.getByRole('listbox', { name: 'Agent' }).getByText('planner', { exact: true }).click()
    await page.waitForURL(/agent=planner/)
    await page.keyboard.press('Escape')
    await page.getByRole('button', { name: 'Outcome filter' }).click()
    await page.getByRole('listbox', { name: 'Outcome' }).getByText('failed', { exact: true }).click()
    await page.waitForURL(/status=failed/)
    await page.keyboard.press('Escape')
    await expect.poll(() => rows().count()).toBe(1)
    expect(await rows().first().getAttribute('data-trace-id')).toBe(seeded.failedTraceId)
    await screenshot(page, '03-explorer-filtered')
    // The URL alone reproduces the view.
    await page.goto(page.url())
    await expect.poll(() => rows().count()).toBe(1)
  })

  it('pages with "Load more", keeps the page count in the URL, and searches text', async () => {
    await page.goto(`${server.url}/traces`)
    await expect.poll(() => rows().count()).toBe(50)
    await page.getByRole('button', { name: 'Load more' }).click()
    await page.waitForURL(/pages=2/)
    await expect.poll(() => rows().count()).toBeGreaterThan(50)
    const total = await rows().count()
    await page.goto(page.url())
    await expect.poll(() => rows().count()).toBe(total)
    await page.getByLabel('Search').fill('globex-q3')
    await page.getByLabel('Search').press('Enter')
    await page.waitForURL(/q=globex-q3/)
    await expect.poll(() => rows().count()).toBe(1)
    expect(await rows().first().getAttribute('data-trace-id')).toBe(seeded.compareB)
  })

  it('prepends new traces in live mode', async () => {
    await page.goto(`${server.url}/traces?live=1`)
    await rows().first().waitFor()
    const before = await rows().count()
    for (const body of makeMultiAgentTrace({ seed: 'live-1', startMs: Date.now() - 5_000 }))
      await postOtlp(server, body)
    await server.drain()
    await expect
      .poll(() => rows().first().getAttribute('data-trace-id'), { timeout: 15_000 })
      .toBe(traceIdFor('live-1'))
    expect(await rows().count()).toBe(before + 1)
  })

  it('sorts by clicking a header', async () => {
    await page.goto(`${server.url}/traces`)
    await rows().first().waitFor()
    await page.getByRole('button', { name: /^Duration/ }).click()
    await page.waitForURL(/sort=durationMs/)
    await rows().first().waitFor()
    const durations = await page.locator('table.traces tbody tr td:nth-child(5)').allTextContents()
    expect(durations.length).toBeGreaterThan(3)
    // The 10k-span loop is the longest trace.
    expect(await rows().first().getAttribute('data-trace-id')).toBe(seeded.hugeTraceId)
  })

  it('compares two runs selected in the explorer', async () => {
    await page.goto(`${server.url}/traces?agent=planner&status=ok`)
    // multi-a, multi-b and the trace the live-mode test sent.
    await expect.poll(() => rows().count()).toBe(3)
    const [a, b] = await Promise.all([traceOf(seeded.compareA), traceOf(seeded.compareB)])
    const expected = alignTrajectories(toTrajectory(a.spans), toTrajectory(b.spans))
    expect(expected.firstDivergence).not.toBeNull()
    await page.locator(`tr[data-trace-id="${seeded.compareA}"] input[type=checkbox]`).check()
    await page.locator(`tr[data-trace-id="${seeded.compareB}"] input[type=checkbox]`).check()
    await page.getByRole('button', { name: 'Compare' }).click()
    await page.waitForURL(/\/compare\?a=/)
    await page.locator('.align-table').waitFor()
    const summary = await page.getByLabel('Alignment summary').textContent()
    // The page shows core's alignment of the two runs: variant b searches other terms and fetches a page.
    expect(summary).toContain(`first divergence at step ${expected.firstDivergence! + 1}`)
    expect(await page.locator('.align-table tr.op-insert').count()).toBe(
      expected.pairs.filter((p) => p.op === 'insert').length,
    )
    expect(await page.locator('.align-table tr.op-mismatch').count()).toBeGreaterThanOrEqual(1)
    expect(await page.locator('.compare-card').first().textContent()).toContain(
      `${a.trace.toolCallCount} tool calls · 1 delegation ·`,
    )
    await screenshot(page, '06-compare')
  })

  it('shows a session, linked from the explorer, as a conversation', async () => {
    await page.goto(`${server.url}/traces?sessionId=${seeded.sessionId}`)
    await expect.poll(() => rows().count()).toBe(3)
    await rows().first().getByRole('link', { name: seeded.sessionId }).click()
    await page.waitForURL(/\/sessions\/sess-e2e-001$/)
    await page.locator('.turn').first().waitFor()
    expect(await page.locator('.turn').count()).toBe(3)
    const text = await page.locator('.turns').textContent()
    expect(text!.indexOf('order #1234 has not arrived')).toBeLessThan(text!.indexOf('refund for shipping'))
    expect(text).toContain('refunded the $4.99 shipping fee')
    await screenshot(page, '07-session')
    await page.locator('.turn').first().getByRole('link', { name: 'user user-e2e' }).click()
    await page.waitForURL(/\/users\/user-e2e$/)
    await expect.poll(() => page.locator('.turn').count()).toBe(3)
  })

  it('opens a captured corpus trace', async () => {
    await page.goto(`${server.url}/traces/${seeded.corpusTraceIds[0]}`)
    await page.locator('.timeline-row[data-span-id]').first().waitFor()
    await page.locator('.timeline-row .badge.b-llm').first().click()
    await page.getByRole('complementary', { name: 'Span inspector' }).locator('.msg').first().waitFor()
    await screenshot(page, '08-corpus-trace-llm')
  })

  it('opens the 10,000-span trace and scrolls to its end', async () => {
    const started = Date.now()
    await page.goto(`${server.url}/traces/${seeded.hugeTraceId}`)
    await page.locator('.timeline-row[data-span-id]').first().waitFor()
    const openMs = Date.now() - started
    const inDom = await page.locator('.timeline-row[data-span-id]').count()
    expect(inDom).toBeLessThan(120)
    await screenshot(page, '09-huge-trace-top')
    await page.getByTestId('timeline-scroll').evaluate(async (el) => {
      for (let i = 0; i <= 20; i++) {
        el.scrollTop = (el.scrollHeight * i) / 20
        await new Promise((r) => requestAnimationFrame(() => r(null)))
      }
    })
    await expect
      .poll(() => page.locator('.timeline-row[data-span-id]').last().locator('.span-name').textContent())
      .toMatch(/execute_tool|chat/)
    await screenshot(page, '10-huge-trace-bottom')
    expect(openMs).toBeLessThan(10_000)
    expect(pageErrors).toEqual([])
  })

  it('shows the current project, adds another with its key, and switches between them', async () => {
    const second = await server.deps.projects.createProject('Second project')
    await page.goto(`${server.url}/traces`)
    const picker = page.getByLabel('Project', { exact: true })
    await expect.poll(() => picker.locator('option:checked').textContent()).toBe('Default project')
    await picker.selectOption({ label: 'Add a project…' })
    await page.waitForURL(/\/signin\?add=1/)
    await page.getByLabel('Project API key').fill(second.apiKey)
    await page.getByRole('button', { name: 'Add project' }).click()
    await page.waitForURL(/\/traces$/)
    await expect.poll(() => picker.locator('option:checked').textContent()).toBe('Second project')
    await page.getByText('No traces match').waitFor()
    await screenshot(page, '11-second-project')
    await picker.selectOption({ label: 'Default project' })
    await expect.poll(() => picker.locator('option:checked').textContent()).toBe('Default project')
    await expect.poll(() => rows().count()).toBe(50)
  })

  it('runs under the CSP: no inline script in the build, no source maps, no violation in any step', async () => {
    const html = fs.readFileSync(path.join(WEB_ROOT, 'dist', 'index.html'), 'utf8')
    const scripts = [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)]
    expect(scripts.length).toBeGreaterThan(0)
    for (const [tag, body] of scripts) {
      expect(tag).toMatch(/\ssrc="\/assets\//)
      expect(body!.trim()).toBe('')
    }
    expect(fs.readdirSync(path.join(WEB_ROOT, 'dist', 'assets')).filter((f) => f.endsWith('.map'))).toEqual([])
    const res = await page.goto(`${server.url}/traces`)
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'")
    expect(cspViolations).toEqual([])
    expect(pageErrors).toEqual([])
  })

  it('signs out, the old cookie is useless, and a 401 leads back to the sign-in page', async () => {
    await page.goto(`${server.url}/traces`)
    const cookie = (await page.context().cookies()).find((c) => c.name === 'sightline_session')
    expect(cookie?.httpOnly).toBe(true)
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(/\/signin/)
    const replay = await fetch(`${server.url}/api/v1/traces`, {
      headers: { Cookie: `sightline_session=${cookie!.value}` },
    })
    expect(replay.status).toBe(401)
    await page.goto(`${server.url}/traces/${seeded.failedTraceId}`)
    await page.waitForURL(/\/signin\?next=%2Ftraces%2F/)
  })
})
