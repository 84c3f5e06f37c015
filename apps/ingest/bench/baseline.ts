/** Runs store-child.ts jobs in their own process (chDB binds one data directory per process). */
import { spawn } from 'node:child_process'
import path from 'node:path'
import type { BaselineJob, BaselineResult, InspectJob, InspectResult } from './store-child.js'
import type { GenOptions } from './generator.js'
import { childNodeFlags, makeDataDir, removeDataDir } from './server-process.js'

function runChild<T>(job: BaselineJob | InspectJob): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...childNodeFlags(), path.join(import.meta.dirname, 'store-child.ts'), JSON.stringify(job)],
      {
        cwd: path.resolve(import.meta.dirname, '..'),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '))
      if (code === 0 && line) resolve(JSON.parse(line.slice(7)) as T)
      else reject(new Error(`store child (${job.job}) exited ${code}:\n${err}\n${out}`))
    })
  })
}

export async function runBaseline(
  gen: GenOptions,
  batchBytes: number,
  format: BaselineJob['format'] = 'JSONEachRow',
): Promise<BaselineResult> {
  const dataDir = makeDataDir('baseline')
  try {
    return await runChild<BaselineResult>({ job: 'baseline', dataDir, gen, batchBytes, format })
  } finally {
    removeDataDir(dataDir)
  }
}

export function inspectDataDir(dataDir: string): Promise<InspectResult> {
  return runChild<InspectResult>({ job: 'inspect', dataDir })
}
