#!/usr/bin/env node
/**
 * `pnpm typecheck`: the project references (production code), then every package's tests, benches and
 * scripts (each package's tsconfig.test.json), then the console. Test code is type-checked like the rest.
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const tsc = (...args) =>
  execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), ...args], {
    stdio: 'inherit',
    cwd: root,
  })

tsc('-b')
for (const dir of ['apps', 'packages']) {
  for (const name of fs.readdirSync(path.join(root, dir)).sort()) {
    const config = path.join(dir, name, 'tsconfig.test.json')
    if (fs.existsSync(path.join(root, config))) tsc('-p', config)
  }
}
tsc('-p', 'tsconfig.scripts.json')
execFileSync('pnpm', ['--filter', '@sightline/web', 'typecheck'], { stdio: 'inherit', cwd: root })
