/**
 * Test-only: runs the `sightline` CLI from its sources as a child process, and a generated Vitest
 * file the way a user's CI would. The generated file imports `@sightline/cli`, which only resolves
 * inside the CLI package (its own name), so it is run from a temporary folder under packages/cli.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { REPO_ROOT } from './demo-fleet.js'

export interface ChildResult {
  code: number
  output: string
}

function run(file: string, args: string[], env: Record<string, string>, timeoutMs: number): Promise<ChildResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0
        resolve({ code, output: `${stdout}${stderr}` })
      },
    )
  })
}

/** `sightline <args>` from packages/cli/src/index.ts (tsx, workspace sources). */
export function sightline(args: string[], timeoutMs = 90_000): Promise<ChildResult> {
  const entry = path.join(REPO_ROOT, 'packages/cli/src/index.ts')
  return run(process.execPath, ['--conditions=@sightline/source', '--import', 'tsx', entry, ...args], {}, timeoutMs)
}

/** `vitest run <file>` for a generated file placed next to its case file under packages/cli. */
export async function runGeneratedVitest(
  caseJson: string,
  caseFileName: string,
  vitestText: string,
  vitestFileName: string,
  env: Record<string, string>,
): Promise<ChildResult> {
  const dir = fs.mkdtempSync(path.join(REPO_ROOT, 'packages/cli/test/generated-e2e-'))
  try {
    fs.writeFileSync(path.join(dir, caseFileName), caseJson)
    const file = path.join(dir, vitestFileName)
    fs.writeFileSync(file, vitestText)
    return await run(path.join(REPO_ROOT, 'node_modules/.bin/vitest'), ['run', file, '--root', REPO_ROOT], env, 120_000)
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

/** A loopback port nothing listens on (for "the agent is down"). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })
}
