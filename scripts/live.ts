/**
 * `pnpm live`: the one-command local install. Starts the server on the embedded store, waits until
 * it is ready, starts the demo fleet with live traffic and prints where to sign in. Ctrl-C stops the
 * fleet first (its last spans are flushed), then the server; the data in ./data survives.
 *
 * Env: SIGHTLINE_DATA_DIR (default ./data), SIGHTLINE_API_KEY (default: a key generated on first
 * run and kept in <data>/dev-api-key, mode 0600), PORT (default 4318), plus the DEMO_* options.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startFleet } from '../apps/demo/src/fleet.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dataDir = path.resolve(root, process.env.SIGHTLINE_DATA_DIR ?? 'data')
const port = Number(process.env.PORT ?? 4318)
const baseUrl = `http://127.0.0.1:${port}`
const serverEntry = path.join(root, 'apps/ingest/dist/index.js')

/** The env key wins; else the key of an earlier run, so sign-in keeps working across restarts. */
function devApiKey(): string {
  if (process.env.SIGHTLINE_API_KEY) return process.env.SIGHTLINE_API_KEY
  const file = path.join(dataDir, 'dev-api-key')
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim()
  const key = `sl_dev_${randomBytes(16).toString('hex')}`
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  fs.writeFileSync(file, `${key}\n`, { mode: 0o600 })
  return key
}

async function waitReady(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const ok = await fetch(`${baseUrl}/readyz`).then(
      (res) => res.ok,
      () => false,
    )
    if (ok) return
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error(`the server did not become ready at ${baseUrl}/readyz within ${timeoutMs / 1000} s`)
}

if (!fs.existsSync(serverEntry)) {
  console.error('apps/ingest/dist/index.js is missing: run `pnpm build` first.')
  process.exit(1)
}
const apiKey = devApiKey()
const server = spawn(process.execPath, [serverEntry], {
  cwd: root,
  env: {
    ...process.env,
    SIGHTLINE_DATA_DIR: dataDir,
    SIGHTLINE_API_KEY: apiKey,
    PORT: String(port),
    // Explicit: ingest's default console path resolves to apps/ingest/web/dist, not apps/web/dist.
    SIGHTLINE_CONSOLE_DIR: process.env.SIGHTLINE_CONSOLE_DIR ?? path.join(root, 'apps/web/dist'),
  },
  stdio: 'inherit',
  // Own process group: Ctrl-C reaches this script only, which stops the fleet before the server.
  detached: true,
})
const serverExited = new Promise<number | null>((resolve) => server.once('exit', resolve))
void serverExited.then((code) => {
  if (!stopping) {
    console.error(`the server exited (code ${code})`)
    process.exit(1)
  }
})

let stopping = false
try {
  await waitReady(60_000)
} catch (err) {
  server.kill('SIGTERM')
  throw err
}
const fleet = await startFleet({
  sightlineUrl: baseUrl,
  sightlineApiKey: apiKey,
  seed: Number(process.env.DEMO_SEED ?? 1),
  rate: Number(process.env.DEMO_RATE ?? 30),
  timeScale: Number(process.env.DEMO_TIME_SCALE ?? 1),
  startMinute: Number(process.env.DEMO_START_MINUTE ?? 0),
  portBase: Number(process.env.DEMO_PORT_BASE ?? 7300),
  plannerRelease: process.env.PLANNER_RELEASE === 'fixed' ? 'fixed' : 'buggy',
})

console.log(`
  Sightline is running.
    console:  ${baseUrl}/
    API key:  ${apiKey}   (sign in with it; kept in ${path.join(dataDir, 'dev-api-key')})
    data:     ${dataDir}
  The demo fleet is sending traces (planner ${fleet.urls.planner}). Press Ctrl-C to stop.
`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    console.log('stopping: fleet first (flushing spans), then the server…')
    void (async () => {
      await fleet.stop()
      server.kill('SIGTERM')
      await serverExited
      process.exit(0)
    })()
  })
}
