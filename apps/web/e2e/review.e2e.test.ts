/**
 * Human review in Chromium, keyboard only, on the demo fleet: ten Atlantis tasks to the buggy
 * planner fail; a queue is built from the explorer's "failed" filter; a reviewer names themself
 * and works through the ten traces with keys alone (score keys, Enter to save and go on, r to save
 * a reference trajectory, x to open the regression export), and the scores, progress and agreement
 * with a second reviewer are read back. Screenshots go to apps/web/test-results/.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ListScoresResponse, ReferenceTrajectory, ReviewQueueDetail } from '@sightline/schema'
import {
  ensureConsoleBuilt,
  launchChromium,
  screenshot,
  signIn,
  startTestServer,
  TEST_API_KEY,
  type TestServer,
} from './helpers/console.js'
import { sendAtlantis, startDemoAgents } from './helpers/demo-fleet.js'

let server: TestServer
let browser: Browser
let page: Page
let queueId = ''
const failed: string[] = []
const pageErrors: string[] = []

const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...server.authHeaders },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return (res.status === 204 ? undefined : await res.json()) as T
}
const progress = () => page.getByTestId('review-progress').textContent()

beforeAll(async () => {
  await ensureConsoleBuilt()
  server = await startTestServer({ SIGHTLINE_EVAL_INTERVAL_MS: '0' })
  const agents = await startDemoAgents(server.url, TEST_API_KEY, (line) => {
    if (/error/i.test(line)) console.error(line)
  })
  try {
    for (let i = 0; i < 10; i++) failed.push(await sendAtlantis(agents.plannerUrl, server.url, TEST_API_KEY))
  } finally {
    await agents.stop()
  }
  await server.drain()
  await new Promise((resolve) => setTimeout(resolve, 1200))
  await server.resolveStored()
  await server.drain()
  await api('PUT', '/api/v1/score-configs/correct', {
    dataType: 'boolean',
    description: 'the answer is right for the user',
  })
  await api('PUT', '/api/v1/score-configs/quality', {
    dataType: 'numeric',
    min: 1,
    max: 5,
    passThreshold: 4,
    description: '1 useless … 5 excellent',
  })
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 } })
  page.on('pageerror', (e) => pageErrors.push(e.message))
  page.on('console', (m) => void (/Content Security Policy/i.test(m.text()) && pageErrors.push(m.text())))
  await signIn(page, server)
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

describe('a reviewer works through a queue of 10 failed traces by keyboard', () => {
  it('builds the queue from the explorer filter', async () => {
    await page.goto(`${server.url}/traces?status=error&agent=planner-agent`)
    await page.locator('tr[data-trace-id]').first().waitFor()
    expect(await page.locator('tr[data-trace-id]').count()).toBe(10)
    await page.getByRole('button', { name: 'Review these…' }).focus()
    await page.keyboard.press('Enter')
    await page.getByLabel('Queue name').fill('Atlantis failures')
    // The button is disabled until the score configs load (nothing to score against before): under load
    // that takes a while, and Enter on a disabled button does nothing.
    const build = page.getByRole('button', { name: 'Build queue', disabled: false })
    await build.waitFor()
    await build.focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/review\/rq-/)
    queueId = /\/review\/(rq-[a-z0-9]+)/.exec(page.url())![1]!
    const detail = await api<ReviewQueueDetail>('GET', `/api/v1/review-queues/${queueId}`)
    expect(detail.items.map((i) => i.traceId).sort()).toEqual([...failed].sort())
    expect(detail.items.every((i) => i.outcome === 'failed')).toBe(true)
  }, 60_000)

  it('scores all ten with the keyboard alone, saves a reference and opens the export', async () => {
    await page.getByLabel('Reviewer name').waitFor()
    await page.keyboard.type('ana')
    await page.keyboard.press('Enter')
    await page.getByLabel('Trajectory').waitFor()
    expect(await progress()).toContain('0 / 10 reviewed by you')
    await screenshot(page, 'review-start')
    for (let i = 0; i < 10; i++) {
      await page.getByLabel('Trajectory').locator('li').first().waitFor()
      await page.keyboard.press(i === 3 ? 'y' : 'n')
      await page.keyboard.press(i === 3 ? '4' : String(1 + (i % 2)))
      if (i === 0) {
        await page.keyboard.press('c')
        await page.keyboard.type('weather asked 8 times for a place that does not exist')
        await page.keyboard.press('Escape')
        await page.keyboard.press(']')
        await page.getByRole('complementary', { name: 'Span inspector' }).waitFor()
      }
      await page.keyboard.press('Enter')
      await page
        .getByRole('status')
        .filter({ hasText: i === 9 ? /Saved trace|last trace/ : `Saved trace` })
        .first()
        .waitFor()
      await expect.poll(progress).toContain(`${i + 1} / 10 reviewed by you`)
    }
    await screenshot(page, 'review-done')
    await page.keyboard.press('r')
    await page.getByRole('status').filter({ hasText: 'Saved as reference trajectory' }).waitFor()
    const references = (await api<{ references: ReferenceTrajectory[] }>('GET', '/api/v1/reference-trajectories'))
      .references
    expect(references).toHaveLength(1)
    expect(references[0]!.steps.every((s) => s.kind === 'tool_call' && s.name === 'weather')).toBe(true)
    await page.keyboard.press('x')
    await page.waitForURL(/\/traces\/[0-9a-f]{32}\/regression$/)
    expect(pageErrors).toEqual([])
  }, 120_000)

  it("the scores are stored as the reviewer's, and agreement shows with a second reviewer", async () => {
    const scores = (await api<ListScoresResponse>('GET', `/api/v1/scores?queueId=${queueId}&limit=100`)).scores
    expect(scores).toHaveLength(20)
    expect(scores.every((s) => s.source === 'human' && s.author === 'ana')).toBe(true)
    expect(scores.filter((s) => s.name === 'correct' && s.value === true)).toHaveLength(1)
    expect(scores.find((s) => s.comment.includes('8 times'))).toBeDefined()
    for (let p = 0; p < 4; p++)
      await api('PUT', `/api/v1/review-queues/${queueId}/items/${p}/review`, {
        author: 'bo',
        scores: [
          { name: 'correct', value: false },
          { name: 'quality', value: 1 },
        ],
      })
    await page.goto(`${server.url}/review/${queueId}?item=0`)
    await page.getByRole('region', { name: 'Agreement' }).waitFor()
    const row = page.getByRole('region', { name: 'Agreement' }).locator('tr', { hasText: 'correct' })
    expect(await row.textContent()).toMatch(/correct4475 %/)
    expect(await progress()).toContain('10 / 10 reviewed by you · 10 / 10 by anyone')
    await screenshot(page, 'review-agreement')
  }, 60_000)
})
