/**
 * The fleet registry and map in Chromium: the demo fleet (real agents as child processes) and a
 * generated fleet of 50 agents and 300 tools in a second project. Measures the map's time to paint
 * (figures in BENCHMARKS.md, "Fleet map"); clicking an edge opens the traces behind it.
 */
import type { CreateProjectResponse, FleetMapResponse } from '@sightline/schema'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFleet } from '@sightline/demo/fleet'
import { getJson } from '@sightline/ingest/testing'
import {
  ensureConsoleBuilt,
  launchChromium,
  screenshot,
  signIn,
  startTestServer,
  TEST_API_KEY,
  type TestServer,
} from './helpers/console.js'
import { generatedFleet } from './helpers/generated-fleet.js'

const ADMIN_KEY = 'admin-key-for-the-fleet-test-0123456789'
let server: TestServer
let browser: Browser
let bigKey = ''
const pageErrors: string[] = []

beforeAll(async () => {
  await ensureConsoleBuilt()
  server = await startTestServer({
    SIGHTLINE_REGISTRY_SCAN_MS: '0',
    SIGHTLINE_ANOMALY_INTERVAL_MS: '0',
    SIGHTLINE_ADMIN_KEY: ADMIN_KEY,
  })
  const fleet = await startFleet({
    sightlineUrl: server.url,
    sightlineApiKey: TEST_API_KEY,
    seed: 3,
    rate: 60,
    timeScale: 0.05,
    maxTraces: 20,
    portBase: 0,
    log: () => {},
  })
  await fleet.trafficDone
  await fleet.stop()
  const res = await fetch(`${server.url}/api/v1/admin/projects`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Big fleet', id: 'bigfleet' }),
  })
  bigKey = ((await res.json()) as CreateProjectResponse).apiKey
  for (const body of generatedFleet().requests) {
    const sent = await fetch(`${server.url}/v1/traces`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${bigKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    if (sent.status !== 200) throw new Error(`OTLP answered ${sent.status}`)
  }
  await server.drain()
  await server.deps.registry.scanner.scan()
  browser = await launchChromium()
}, 240_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
})

async function openPage(key: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } })
  const page = await context.newPage()
  page.on('pageerror', (e) => pageErrors.push(e.message))
  await signIn(page, server, key)
  return { context, page }
}

/**
 * Opens the map (a full page load, as a deep link) and returns its timings in ms: `apiMs` request →
 * data, `renderMs` data → painted, `mapMs` request → painted (the map's own time: the request starts
 * at boot), `totalMs` navigation → painted (console boot included).
 */
async function openMap(
  page: Page,
): Promise<{ apiMs: number; renderMs: number; mapMs: number; totalMs: number; nodes: number }> {
  await page.goto(`${server.url}/registry/map?range=24h`)
  const svg = page.locator('.fleet-map svg[data-rendered]')
  await svg.waitFor()
  const nodes = Number(await svg.getAttribute('data-rendered'))
  const t = await page.evaluate(() => {
    const at = (name: string) => performance.getEntriesByName(name).at(-1)!.startTime
    return {
      request: at('sightline.fleet-map.request'),
      data: at('sightline.fleet-map.data'),
      rendered: at('sightline.fleet-map.rendered'),
    }
  })
  return {
    apiMs: t.data - t.request,
    renderMs: t.rendered - t.data,
    mapMs: t.rendered - t.request,
    totalMs: t.rendered,
    nodes,
  }
}

describe('fleet registry and map', () => {
  it('shows the demo fleet: agents with cards and releases, tools with schemas, drift', async () => {
    const { context, page } = await openPage(TEST_API_KEY)
    await page.goto(`${server.url}/registry?range=24h`)
    const executor = page.locator('tr[data-agent="executor-agent"]')
    await executor.waitFor()
    expect(await executor.locator('[data-col="releases"] .chip').allTextContents()).toEqual(['1.4.0', '1.5.0-canary'])
    expect(await page.locator('tr[data-agent="planner-agent"] [data-col="card"]').textContent()).toBe('2.3.0 · A2A 1.0')
    await executor.click()
    await page.getByText('Skills').waitFor()
    await screenshot(page, '60-registry-agents')
    await page.getByRole('tab', { name: 'tools' }).click()
    await page.locator('tr[data-tool="demo-tools/weather"]').waitFor()
    expect(await page.locator('tr[data-tool="demo-tools/db_lookup"] [data-col="schema"]').textContent()).toBe(
      'tools/list',
    )
    await screenshot(page, '61-registry-tools')
    await context.close()
  })

  it('renders the demo fleet map and opens the traces behind an edge', async () => {
    const { context, page } = await openPage(TEST_API_KEY)
    const timings = []
    for (let i = 0; i < 3; i++) timings.push(await openMap(page))
    console.log(`fleet map, demo: ${JSON.stringify(timings)}`)
    const api = (await getJson<FleetMapResponse>(server, '/api/v1/registry/fleet/map')).body
    expect(timings[0]!.nodes).toBe(api.nodes.length)
    expect(Math.min(...timings.map((t) => t.mapMs))).toBeLessThan(1000)
    await screenshot(page, '62-fleet-map-demo')
    const edge = api.edges.find(
      (e) => e.kind === 'a2a' && e.sourceName === 'planner' && e.targetName === 'executor-agent',
    )!
    await page.locator(`[data-edge="${edge.source}→${edge.target}"] .edge-hit`).click({ force: true })
    const links = page.getByRole('list', { name: 'Edge traces' }).getByRole('link')
    await links.first().waitFor()
    expect(await links.count()).toBeGreaterThan(0)
    await links.first().click()
    await page.waitForURL(/\/traces\/[0-9a-f]{32}/)
    await context.close()
  })

  it('renders 50 agents and 300 tools within a second, readable: clusters, search, focus', async () => {
    const { context, page } = await openPage(bigKey)
    const timings = []
    for (let i = 0; i < 3; i++) timings.push(await openMap(page))
    console.log(`fleet map, 50 agents / 300 tools: ${JSON.stringify(timings)}`)
    expect(Math.min(...timings.map((t) => t.mapMs))).toBeLessThan(1000)
    expect(await page.locator('.node.agent').count()).toBe(50)
    expect(await page.locator('.node.cluster').count()).toBe(15)
    // Readable without scrolling sideways: the agents' columns start at the left of the canvas.
    const first = await page.locator('[data-node="agent:agent-00"]').boundingBox()
    expect(first!.x).toBeLessThan(300)
    await screenshot(page, '63-fleet-map-generated')
    // Every group open: 50 agents and 300 tools drawn at once.
    const before = await page.evaluate(() => performance.now())
    await page.getByRole('button', { name: 'Expand groups' }).click()
    await page.locator('.fleet-map svg[data-rendered="350"]').waitFor()
    const expandMs =
      (await page.evaluate(() => performance.getEntriesByName('sightline.fleet-map.rendered').at(-1)!.startTime)) -
      before
    console.log(`fleet map, all 350 nodes drawn after a click: ${expandMs.toFixed(0)} ms`)
    expect(expandMs).toBeLessThan(1000)
    await screenshot(page, '63b-fleet-map-expanded')
    await page.getByRole('button', { name: 'Collapse groups' }).click()
    await page.getByLabel('Search the map').fill('tool_123')
    await page.locator('.node.match[data-node="tool:mcp-03/tool_123"]').waitFor()
    await page.locator('[data-node="agent:agent-23"]').click()
    await page.getByRole('button', { name: 'Focus on its neighbourhood' }).click()
    await page.waitForURL(/focus=agent%3Aagent-23/)
    await expect.poll(() => page.locator('.node').count()).toBe(1 + 6 + 2)
    await screenshot(page, '64-fleet-map-focus')
    expect(pageErrors).toEqual([])
    await context.close()
  })
})
