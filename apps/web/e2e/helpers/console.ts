/**
 * Test-only plumbing for the console's browser tests and benchmark: builds the console when its
 * build is missing or stale, starts the real ingest server over a fresh embedded store (it serves
 * the build at /), and drives Debian's Chromium through playwright-core.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { build } from 'vite'
import { startTestServer, TEST_API_KEY, type TestServer } from '@sightline/ingest/testing'

export const WEB_ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const RESULTS_DIR = path.join(WEB_ROOT, 'test-results')
const DIST_INDEX = path.join(WEB_ROOT, 'dist', 'index.html')

function newestMtime(dir: string): number {
  let newest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs)
  }
  return newest
}

/** Vite build unless dist/index.html is newer than every source (web, schema and core). */
export async function ensureConsoleBuilt(): Promise<void> {
  const sources = Math.max(
    newestMtime(path.join(WEB_ROOT, 'src')),
    newestMtime(path.join(WEB_ROOT, '..', '..', 'packages', 'schema', 'src')),
    newestMtime(path.join(WEB_ROOT, '..', '..', 'packages', 'core', 'src')),
    fs.statSync(path.join(WEB_ROOT, 'index.html')).mtimeMs,
    fs.statSync(path.join(WEB_ROOT, 'vite.config.ts')).mtimeMs,
    fs.statSync(path.join(WEB_ROOT, 'vite-precompress.ts')).mtimeMs,
  )
  if (fs.existsSync(DIST_INDEX) && fs.statSync(DIST_INDEX).mtimeMs > sources) return
  // Vitest sets NODE_ENV=test and Vite bakes whatever it finds into the bundle: React's development
  // build, whose StrictMode runs effects twice (a deep link fetched its trace twice). Test what ships.
  const nodeEnv = process.env['NODE_ENV']
  process.env['NODE_ENV'] = 'production'
  try {
    await build({ root: WEB_ROOT, configFile: path.join(WEB_ROOT, 'vite.config.ts'), logLevel: 'warn' })
  } finally {
    if (nodeEnv === undefined) delete process.env['NODE_ENV']
    else process.env['NODE_ENV'] = nodeEnv
  }
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}

export { startTestServer, TEST_API_KEY, type TestServer }

/** POSTs one OTLP/JSON body; throws on anything but 200. */
export async function postOtlp(
  server: Pick<TestServer, 'url' | 'authHeaders'>,
  body: object | string,
  contentType = 'application/json',
): Promise<void> {
  const res = await fetch(`${server.url}/v1/traces`, {
    method: 'POST',
    body: typeof body === 'string' || body instanceof Uint8Array ? (body as string) : JSON.stringify(body),
    headers: { 'Content-Type': contentType, ...server.authHeaders },
  })
  if (res.status !== 200) throw new Error(`OTLP answered ${res.status}: ${await res.text()}`)
}

/** Signs in through the sign-in page, as a user would. */
export async function signIn(page: Page, server: Pick<TestServer, 'url'>, key = TEST_API_KEY): Promise<void> {
  await page.goto(`${server.url}/traces`)
  await page.waitForURL(/\/signin/)
  await page.getByLabel('Project API key').fill(key)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(/\/traces/)
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true })
  const file = path.join(RESULTS_DIR, `${name}.png`)
  await page.screenshot({ path: file })
  return file
}
