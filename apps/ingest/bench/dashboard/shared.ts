/** Store setup, machine description and BENCHMARKS.md section writing for the dashboard benches. */
import fs from 'node:fs'
import path from 'node:path'
import { createStore, type Store } from '../../src/db/client.js'
import { migrate } from '../../src/db/migrate.js'
import { parseEnv } from '../../src/env.js'
import { createLogger } from '../../src/logger.js'
import { sql } from '../../src/db/sql.js'
import { machineInfo } from '../machine.js'

const REPO_ROOT = path.resolve(import.meta.dirname, '../../../..')

export async function openStore(dataDir: string): Promise<Store> {
  const store = createStore(parseEnv({ SIGHTLINE_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }))
  await migrate(store, createLogger('warn'))
  return store
}

let engine = 'unknown'
export async function recordEngine(store: Store): Promise<void> {
  engine = (await store.query<{ v: string }>(sql`SELECT version() AS v`))[0]?.v ?? engine
}

export async function machineLine(): Promise<string> {
  const m = machineInfo(engine)
  return (
    `${m.cpuModel}, ${m.cores} cores, ${m.ramGiB} GiB RAM, Node ${m.node}, ` +
    `chdb ${m.chdbPackage} (engine ${m.chdbEngine}), Linux ${m.kernel}`
  )
}

/**
 * Replaces (or appends) `## <title>` in BENCHMARKS.md between its own markers, leaving the
 * sections other benchmarks write untouched.
 */
export function writeSection(title: string, body: string): void {
  const file = path.join(REPO_ROOT, 'BENCHMARKS.md')
  const start = `<!-- ${title.toLowerCase()}:start -->`
  const end = `<!-- ${title.toLowerCase()}:end -->`
  const block = `${start}\n## ${title}\n\n${body}\n${end}`
  const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n'
  const i = existing.indexOf(start)
  const j = existing.indexOf(end)
  const next =
    i >= 0 && j > i
      ? existing.slice(0, i) + block + existing.slice(j + end.length)
      : `${existing.trimEnd()}\n\n${block}\n`
  fs.writeFileSync(file, next)
}
