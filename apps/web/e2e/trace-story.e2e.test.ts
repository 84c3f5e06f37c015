/**
 * The console tells each trace's story with the resolved meaning of every number, end to end: the
 * list's outcome, reason, tags and input; the trace view's header (the failure reason selects the
 * failure span), its counts, badges and agent graph counted once per MCP call and A2A hand-off; the
 * selected span and tab in the URL (a copied link reproduces them). Real server (embedded store)
 * serving the real build, seeded through OTLP, driven in Debian's Chromium; steps share one page and
 * run in order; screenshots go to apps/web/test-results/.
 */
import type { GetTraceResponse } from '@sightline/schema'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getJson } from '@sightline/ingest/testing'
import {
  ensureConsoleBuilt,
  launchChromium,
  screenshot,
  signIn,
  startTestServer,
  type TestServer,
} from './helpers/console.js'
import { seedConsoleData, type Seeded } from './helpers/seed.js'

let server: TestServer
let browser: Browser
let page: Page
let seeded: Seeded
const pageErrors: string[] = []

beforeAll(async () => {
  await ensureConsoleBuilt()
  server = await startTestServer()
  seeded = await seedConsoleData(server)
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } })
  page.on('pageerror', (e) => pageErrors.push(e.message))
  await signIn(page, server)
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

const rows = () => page.locator('table.traces tbody tr')
const row = (traceId: string) => page.locator(`table.traces tbody tr[data-trace-id="${traceId}"]`)
/** The resolved trace as the API returns it: what every page must agree with. */
const traceOf = async (traceId: string) => (await getJson<GetTraceResponse>(server, `/api/v1/traces/${traceId}`)).body
const selectedName = () => page.locator('.timeline-row.selected .span-name').textContent()
const inspector = () => page.getByRole('complementary', { name: 'Span inspector' })

describe('the trace story', () => {
  it("tells each trace's story in the list: outcome, its reason, tags, input", async () => {
    const failed = (await traceOf(seeded.failedTraceId)).trace
    const recovered = (await traceOf(seeded.recoveredTraceId)).trace
    expect([failed.outcome, recovered.outcome]).toEqual(['failed', 'recovered'])
    expect(failed.failureReason).toContain('division by zero')
    expect(failed.tags).toContain('recovered-retry')
    await page.goto(`${server.url}/traces?agent=planner&status=failed,recovered`)
    await expect.poll(() => rows().count()).toBe(2)
    const failedRow = row(seeded.failedTraceId)
    expect(await failedRow.locator('.pill[data-outcome]').textContent()).toBe('failed')
    const reason = failedRow.getByRole('link', { name: failed.failureReason })
    expect(await reason.getAttribute('href')).toBe(`/traces/${seeded.failedTraceId}?span=${failed.failureSpanId}`)
    expect(await failedRow.locator('.story-tag').allTextContents()).toContain('recovered retry')
    expect(await failedRow.locator('.story-input').textContent()).toContain('Compare Q3 revenue of ACME and Globex')
    const recoveredRow = row(seeded.recoveredTraceId)
    expect(await recoveredRow.locator('.pill[data-outcome]').textContent()).toBe('recovered')
    expect(await recoveredRow.locator('.outcome-reason').textContent()).toBe(
      `recovered from: ${recovered.firstError!.message}`,
    )
    await screenshot(page, '03b-explorer-story')
  })

  it('opens the failed trace with its reason in the header, and the reason selects the failure span', async () => {
    const { trace } = await traceOf(seeded.failedTraceId)
    await page.goto(`${server.url}/traces/${seeded.failedTraceId}`)
    await page.locator('.timeline-row[data-span-id]').first().waitFor()
    const story = page.getByLabel('Trace story')
    expect(await page.locator('.page-head .pill[data-outcome]').textContent()).toBe('failed')
    expect(await story.textContent()).toContain(`Failed: ${trace.failureReason}`)
    expect(await story.textContent()).toContain('root agent planner')
    // Counted once: the MCP call traced on both ends, the A2A hand-off traced on both ends.
    const totals = page.getByLabel('Trace totals')
    expect(await totals.textContent()).toContain(`Tool calls${trace.toolCallCount}`)
    expect(trace.delegationCount).toBe(1)
    expect(await totals.textContent()).toContain('Delegations1')
    expect(await page.locator('.timeline-row[data-span-id]').count()).toBe(13)
    expect(await page.locator('.badge.b-retry').count()).toBe(1)
    expect(await page.locator('.badge.b-mcp').count()).toBe(1)
    expect(await page.locator('.badge.b-part').count()).toBe(1)
    expect(await page.locator('.badge.b-a2a').count()).toBe(1)
    expect(await page.locator('.crit').count()).toBeGreaterThan(0)
    await story.getByRole('link', { name: trace.failureReason }).click()
    await page.waitForURL(new RegExp(`\\?span=${trace.failureSpanId}$`))
    await expect.poll(selectedName).toBe('execute_tool run_code')
    await expect.poll(() => inspector().textContent()).toContain('division by zero')
    await screenshot(page, '04-trace-failure-reason')
  })

  it('selects the failing tool span, shows its arguments and error, and a link reproduces the selection', async () => {
    await page.locator('.timeline-row.error', { hasText: 'execute_tool web_search' }).click()
    await inspector().getByText('Tool arguments').waitFor()
    await expect.poll(() => inspector().textContent()).toContain('ACME Q3 2026 revenue')
    expect(await inspector().textContent()).toContain('upstream timeout after 300ms')
    expect(await inspector().getByRole('region', { name: 'Exception' }).textContent()).toContain('ToolError')
    await screenshot(page, '04b-trace-failed-tool')
    const link = page.url()
    expect(link).toMatch(/\?span=[0-9a-f]{16}$/)
    const spanId = new URL(link).searchParams.get('span')
    // The MCP server end says which span its call is counted on.
    await page.locator('.timeline-row', { has: page.locator('.badge.b-part') }).click()
    await expect.poll(() => inspector().textContent()).toContain('same call as tools/call read_file')
    // Opening the copied link elsewhere shows the same span, selected and inspected.
    // Another browser window of the same signed-in user.
    const otherContext = await browser.newContext({
      storageState: await page.context().storageState(),
      viewport: { width: 1440, height: 900 },
    })
    const other = await otherContext.newPage()
    try {
      await other.goto(link)
      await other.locator('.timeline-row.selected').waitFor()
      expect(await other.locator('.timeline-row.selected').getAttribute('data-span-id')).toBe(spanId)
      await expect
        .poll(() => other.getByRole('complementary', { name: 'Span inspector' }).textContent())
        .toContain('upstream timeout after 300ms')
    } finally {
      await otherContext.close()
    }
  })

  it('navigates the tree with the keyboard and collapses a subtree', async () => {
    const tree = page.getByRole('tree', { name: 'Spans' })
    await tree.focus()
    await page.keyboard.press('Home')
    await expect.poll(selectedName).toBe('invoke_agent planner')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    await expect.poll(selectedName).toBe('invoke_agent researcher')
    // Keyboard selections are written to the URL too.
    const researcherId = await page.locator('.timeline-row.selected').getAttribute('data-span-id')
    await page.waitForURL(new RegExp(`\\?span=${researcherId}$`))
    await page.keyboard.press('ArrowLeft')
    await expect.poll(() => page.locator('.timeline-row[data-span-id]').count()).toBe(10)
    await page.keyboard.press('ArrowRight')
    await expect.poll(() => page.locator('.timeline-row[data-span-id]').count()).toBe(13)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.getByRole('complementary', { name: 'Span inspector' }).count()).toBe(0)
  })

  it('shows the agent graph (delegation, sub-agent, tool calls counted once), the tab kept in the URL', async () => {
    await page.getByRole('tab', { name: 'Agent graph' }).click()
    await page.waitForURL(/tab=graph/)
    const graph = page.getByRole('img', { name: 'Agent graph' })
    await graph.waitFor()
    for (const id of [
      'agent:planner',
      'agent:researcher',
      'agent:coder',
      'tool:web_search',
      'tool:run_code',
      'tool:read_file',
    ]) {
      expect(await graph.locator(`[data-node="${id}"]`).count(), id).toBe(1)
    }
    expect(await graph.locator('.edge.delegation').count()).toBe(1)
    expect(await graph.locator('.edge.subagent').count()).toBe(1)
    expect(await graph.locator('[data-edge="agent:researcher→tool:web_search"] .edge-label').textContent()).toMatch(
      /^2× .* 1 err$/,
    )
    expect(await graph.locator('[data-node="tool:read_file"] .node-sub').textContent()).toBe('tool · 1×')
    await screenshot(page, '05-agent-graph')
    await page.goto(page.url())
    await graph.waitFor()
  })

  it('raised no page error on the way', () => {
    expect(pageErrors).toEqual([])
  })
})
