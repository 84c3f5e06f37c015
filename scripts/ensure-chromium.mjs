#!/usr/bin/env node
/**
 * The browser tests drive Debian's Chromium (playwright-core, executablePath /usr/bin/chromium). A
 * fresh Debian machine has only Node and npm: this installs Chromium when it is missing and we are
 * root, or stops at once with the exact command to run. `pnpm test` (the README's test command, and
 * .ci/run) calls it first, so the command stands alone.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'

const CHROMIUM = '/usr/bin/chromium'
const INSTALL = 'apt-get update && apt-get install -y chromium'

if (fs.existsSync(CHROMIUM)) process.exit(0)
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0
if (!isRoot || !hasApt) {
  console.error(
    `The browser tests need Debian's Chromium at ${CHROMIUM}. Install it, then run the tests again:\n\n` +
      `  sudo sh -c '${INSTALL}'\n`,
  )
  process.exit(1)
}
console.log(`Installing Debian's Chromium for the browser tests (${INSTALL})…`)
execFileSync('sh', ['-c', `${INSTALL} >/dev/null`], {
  stdio: 'inherit',
  env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
})
if (!fs.existsSync(CHROMIUM)) {
  console.error(`apt-get finished but ${CHROMIUM} is still missing.`)
  process.exit(1)
}
