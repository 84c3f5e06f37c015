/**
 * This replica's name as a lease holder. It must be unique among running replicas and stable across
 * a restart of the same replica (a restarted replica takes its leases back at once): the configured
 * SIGHTLINE_REPLICA_ID, else the host name and the data directory (each replica has its own spool,
 * so two live replicas never share both).
 */
import { createHash } from 'node:crypto'
import os from 'node:os'
import path from 'node:path'

export function replicaId(configured: string | undefined, dataDir: string): string {
  if (configured) return configured
  const host = os.hostname()
  return `${host}:${createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12)}`
}
