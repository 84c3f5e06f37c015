/**
 * "Export as regression test" end to end on the demo fleet: a real server, the demo's MCP server and
 * buggy planner (2.3.0) as child processes (a weather task needs no sub-agent); the Atlantis task
 * loops and fails. In
 * Chromium: open the failed trace, export it, check the pre-filled failure and the "could never
 * fail" flag, download the case and its Vitest file, save it to a suite. Then, outside the browser,
 * replay the downloaded case with the CLI (buggy → 1, fixed → 0, stopped agent → 2) and the
 * downloaded Vitest file (fails on buggy, passes on fixed); the case page shows the history.
 * Steps share one page and run in order; screenshots go to apps/web/test-results/.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { RegressionCaseSchema, type RegressionCase } from '@sightline/schema'
import { generateVitestFile } from '@sightline/core'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ensureConsoleBuilt,
  launchChromium,
  screenshot,
  signIn,
  startTestServer,
  TEST_API_KEY,
  type TestServer,
} from './helpers/console.js'
import { plannerCommand, sendAtlantis, startDemoAgents } from './helpers/demo-fleet.js'
import { closedPort, runGeneratedVitest, sightline } from './helpers/regress-cli.js'

let server: TestServer
let browser: Browser
let page: Page
let traceId: string
let downloadsDir: string
const pageErrors: string[] = []
const files = { caseJson: '', caseName: '', vitest: '', vitestName: '' }
let rc: RegressionCase

beforeAll(async () => {
  await ensureConsoleBuilt()
  server = await startTestServer()
  const agents = await startDemoAgents(server.url, TEST_API_KEY, (line) => {
    if (/error/i.test(line)) console.error(line)
  })
  try {
    traceId = await sendAtlantis(agents.plannerUrl, server.url, TEST_API_KEY)
  } finally {
    // Stopping flushes every child's spans; then wait until ingest has stored them.
    await agents.stop()
  }
  await server.drain()
  downloadsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-rc-downloads-'))
  browser = await launchChromium()
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true })
  page.on('pageerror', (e) => pageErrors.push(e.message))
  // Chromium logs each Content-Security-Policy refusal to the console: the console must run under the CSP.
  page.on('console', (m) => void (/Content Security Policy/i.test(m.text()) && pageErrors.push(m.text())))
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  if (downloadsDir) fs.rmSync(downloadsDir, { recursive: true, force: true })
})

const assertion = (id: string) => page.locator(`li[data-assertion-id="${id}"]`)

async function download(buttonName: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: buttonName }).click(),
  ])
  const target = path.join(downloadsDir, file.suggestedFilename())
  await file.saveAs(target)
  return { name: file.suggestedFilename(), text: fs.readFileSync(target, 'utf8') }
}

const common = () => ['--sightline-url', server.url, '--api-key', TEST_API_KEY, '--runs', '1', '--timeout', '30']

describe('export a failed trace as a regression test', () => {
  it('opens the failed Atlantis trace from the explorer and starts the export', async () => {
    await signIn(page, server)
    await page.goto(`${server.url}/traces?status=error`)
    const row = page.locator(`table.traces tbody tr[data-trace-id="${traceId}"]`)
    await row.waitFor()
    await row.locator('a').first().click()
    await page.waitForURL(new RegExp(`/traces/${traceId}$`))
    await page.getByRole('link', { name: 'Export as regression test' }).click()
    await page.waitForURL(new RegExp(`/traces/${traceId}/regression$`))
    await page.getByRole('region', { name: 'Assertions' }).waitFor()
  })

  it('pre-fills the failure reason with the loop and checks every suggested assertion against the trace', async () => {
    const reason = await page.getByLabel('Failure reason').inputValue()
    expect(reason).toMatch(/^Loop: weather \{"city":"Atlantis"\} called 8 times with the same arguments/)
    expect(await page.getByLabel('Failure category').inputValue()).toBe('loop')
    // The expected trajectory keeps two attempts; the observed one shows the six extra calls.
    expect(await page.locator('[aria-label="Expected trajectory"] li.rc-step').count()).toBe(2)
    expect(await page.locator('[aria-label="Observed trajectory"] li[data-status="extra"]').count()).toBe(6)
    for (const id of ['trajectory', 'no-repeated-calls', 'status-ok']) {
      await expect.poll(() => assertion(id).textContent()).toContain('Fails on the source trace')
    }
    expect(await page.getByText('could never fail', { exact: false }).count()).toBe(0)
    await screenshot(page, 'rc-01-editor')
  })

  it('flags a blocking assertion that could never fail, and re-checks on every edit', async () => {
    await page.getByLabel('New assertion type').selectOption('budget')
    await page.getByRole('button', { name: 'Add assertion' }).click()
    // A generous token budget: the incident used ~1.4k.
    await page.getByLabel('budget max', { exact: true }).fill('1000000')
    await expect.poll(() => assertion('budget').textContent()).toContain('Could never fail')
    await expect.poll(() => page.locator('.rc-card-head .pill.err').textContent()).toBe('1 could never fail')
    await assertion('budget').scrollIntoViewIfNeeded()
    await screenshot(page, 'rc-02-could-never-fail')
    // Tightened below the incident's usage it catches the failure; advisory it is never flagged.
    await page.getByLabel('budget max', { exact: true }).fill('1000')
    await expect.poll(() => assertion('budget').textContent()).toContain('Fails on the source trace')
    await page.getByLabel('budget max', { exact: true }).fill('1000000')
    await page.getByLabel('budget blocking', { exact: true }).uncheck()
    await expect.poll(() => assertion('budget').textContent()).toContain('passes on the source trace')
    expect(await assertion('budget').textContent()).not.toContain('Could never fail')
    await page.getByRole('button', { name: 'Remove assertion budget', exact: true }).click()
    await expect.poll(() => assertion('budget').count()).toBe(0)
  })

  it('edits the expected trajectory: reorder, optional, argument matching, match settings', async () => {
    const expected = page.locator('[aria-label="Expected trajectory"] li.rc-step')
    await page.getByLabel('Step 2 optional').check()
    await page.getByRole('button', { name: 'Move step 2 up' }).click()
    expect(await page.getByLabel('Step 1 optional').isChecked()).toBe(true)
    await page.getByRole('button', { name: 'Move step 1 down' }).click()
    expect(await page.getByLabel('Step 1 optional').isChecked()).toBe(false)
    await page.getByLabel('Step 2 optional').uncheck()
    await page.getByLabel('Step 1 argument matching').selectOption('exact')
    await page.getByLabel('Step 1 ignored paths').fill('/request_id')
    // Allowing extra steps makes the trajectory assertion pass on the incident: flagged at once.
    await page.getByLabel('Extra steps').selectOption('allow')
    await expect.poll(() => assertion('trajectory').textContent()).toContain('Could never fail')
    await page.getByLabel('Extra steps').selectOption('forbid')
    await expect.poll(() => assertion('trajectory').textContent()).toContain('Fails on the source trace')
    expect(await expected.count()).toBe(2)
    await page.getByRole('region', { name: 'Redaction preview' }).scrollIntoViewIfNeeded()
    await screenshot(page, 'rc-03-trajectory-and-redaction')
  })

  it('downloads the case and the Vitest file from the same generator as the server', async () => {
    const caseFile = await download('Download case JSON')
    const vitestFile = await download('Download Vitest file')
    rc = RegressionCaseSchema.parse(JSON.parse(caseFile.text))
    expect(caseFile.name).toBe(`${rc.id}.json`)
    expect(vitestFile.name).toBe(`${rc.id}.regress.test.ts`)
    expect(vitestFile.text).toBe(generateVitestFile(rc))
    expect(rc.source.traceId).toBe(traceId)
    expect(rc.input.text).toBe('check the weather in Atlantis')
    expect(rc.expected.trajectory[0]).toMatchObject({
      name: 'weather',
      argsMatch: 'exact',
      ignorePaths: ['/request_id'],
    })
    expect(rc.assertions.map((a) => a.id)).not.toContain('budget')
    Object.assign(files, {
      caseJson: caseFile.text,
      caseName: caseFile.name,
      vitest: vitestFile.text,
      vitestName: vitestFile.name,
    })
  })

  it('saves the case to a suite; the suites list and the case page show it', async () => {
    await page.getByLabel('Suite', { exact: true }).fill('demo')
    await page.getByRole('button', { name: 'Save to suite' }).click()
    await page.getByRole('link', { name: `open case ${rc.id}` }).click()
    await page.waitForURL(new RegExp(`/regression/cases/${rc.id}$`))
    await page.getByText('No runs yet').waitFor()
    await page.getByRole('navigation').getByRole('link', { name: 'Regression' }).click()
    await page.waitForURL(/\/regression$/)
    await page.locator(`tr[data-case-id="${rc.id}"]`).waitFor()
    expect(await page.getByRole('region', { name: 'Suite demo' }).count()).toBe(1)
    await screenshot(page, 'rc-04-suites')
    const vitestFromApi = await (
      await fetch(`${server.url}/api/v1/regression-cases/${rc.id}/vitest`, { headers: server.authHeaders })
    ).text()
    expect(vitestFromApi).toBe(files.vitest)
  })

  it('replays the downloaded case with the CLI: buggy 2.3.0 → 1, fixed 2.3.1 → 0, stopped agent → 2', async () => {
    const caseFile = path.join(downloadsDir, files.caseName)
    const buggy = await sightline(['regress', 'run', caseFile, '--agent-cmd', plannerCommand('buggy'), ...common()])
    console.log(`--- sightline regress run against the buggy planner (2.3.0): exit ${buggy.code}\n${buggy.output}`)
    const fixed = await sightline(['regress', 'run', caseFile, '--agent-cmd', plannerCommand('fixed'), ...common()])
    console.log(`--- sightline regress run against the fixed planner (2.3.1): exit ${fixed.code}\n${fixed.output}`)
    const stopped = await sightline([
      'regress',
      'run',
      caseFile,
      '--target',
      `http://127.0.0.1:${await closedPort()}`,
      ...common(),
    ])
    console.log(`--- sightline regress run against a stopped agent: exit ${stopped.code}\n${stopped.output}`)
    expect(buggy.code).toBe(1)
    expect(buggy.output).toMatch(/no-repeated-calls: weather \{"city":"Atlantis"\} called 8 time/)
    expect(fixed.code).toBe(0)
    expect(stopped.code).toBe(2)
  }, 150_000)

  it('runs the downloaded Vitest file: fails on the buggy release, passes on the fixed one', async () => {
    const env = (release: 'buggy' | 'fixed') => ({
      AGENT_CMD: plannerCommand(release),
      SIGHTLINE_URL: server.url,
      SIGHTLINE_API_KEY: TEST_API_KEY,
      REGRESSION_RUNS: '1',
    })
    const buggy = await runGeneratedVitest(files.caseJson, files.caseName, files.vitest, files.vitestName, env('buggy'))
    console.log(
      `--- vitest run ${files.vitestName} (AGENT_CMD: buggy planner): exit ${buggy.code}\n${buggy.output
        .split('\n')
        .filter((l) => /✓|×|FAIL|passed|failed|AssertionError/.test(l))
        .slice(0, 12)
        .join('\n')}`,
    )
    const fixed = await runGeneratedVitest(files.caseJson, files.caseName, files.vitest, files.vitestName, env('fixed'))
    console.log(
      `--- vitest run ${files.vitestName} (AGENT_CMD: fixed planner): exit ${fixed.code}\n${fixed.output
        .split('\n')
        .filter((l) => /✓|×|passed|failed/.test(l))
        .slice(0, 6)
        .join('\n')}`,
    )
    expect(buggy.code).toBe(1)
    expect(fixed.code).toBe(0)
  }, 240_000)

  it('shows the run history per release on the case page', async () => {
    await page.goto(`${server.url}/regression/cases/${rc.id}`)
    await expect
      .poll(() => page.getByLabel('Release summary').textContent())
      .toBe('failing on 2.3.0, passing since 2.3.1')
    expect(await page.locator('.rc-release[data-release="2.3.0"]').textContent()).toContain('failing')
    expect(await page.locator('.rc-release[data-release="2.3.1"]').textContent()).toContain('passing')
    await screenshot(page, 'rc-05-case-page')
    expect(pageErrors).toEqual([])
  })
})
