/**
 * Migrations when several replicas start at once (an upgrade rolled out to all of them): one
 * replica migrates under the `migrations` lease while the others wait for it to finish; if it dies
 * half-way, its lease runs out and another replica applies what is left (every statement is written
 * to be applied again safely). A lone replica takes the lease at once.
 */
import type { Store } from '../db/client.js'
import { ensureBootstrapTables, isMigrated, migrate } from '../db/migrate.js'
import { LeaseRepository } from '../db/repositories/leases.js'
import type { Logger } from '../logger.js'
import { Lease, type LeaseTiming } from './lease.js'

export async function migrateOnce(
  store: Store,
  logger: Logger,
  holder: string,
  timing: LeaseTiming,
): Promise<string[]> {
  await ensureBootstrapTables(store)
  const lease = new Lease('migrations', holder, new LeaseRepository(store), logger, timing)
  for (let waited = false; ; waited = true) {
    if (await isMigrated(store)) return []
    await lease.start()
    if (lease.held) {
      try {
        return await migrate(store, logger)
      } finally {
        await lease.stop()
      }
    }
    await lease.stop()
    if (!waited) logger.info('another replica is migrating the store; waiting for it')
    await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, timing.renewMs)))
  }
}
