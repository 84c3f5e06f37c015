/** What the figures were measured on. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'

export interface MachineInfo {
  cpuModel: string
  cores: number
  ramGiB: number
  node: string
  chdbPackage: string
  chdbEngine: string
  kernel: string
}

export function machineInfo(chdbEngine: string): MachineInfo {
  const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8')
  const require = createRequire(path.join(import.meta.dirname, '..', 'package.json'))
  const chdbPackage = (JSON.parse(fs.readFileSync(require.resolve('chdb/package.json'), 'utf8')) as { version: string })
    .version
  return {
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    ramGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    chdbPackage,
    chdbEngine,
    kernel: os.release(),
  }
}
