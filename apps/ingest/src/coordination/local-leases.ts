/**
 * Leases for a store no other process can open: the embedded store (chDB binds its data directory to
 * one process), where there is no other replica to coordinate with. The protocol of the store's
 * `leases` table (db/repositories/leases.ts, migration 0026), kept in memory. Through the store,
 * every job's lease cost a query and an insert every few seconds: a new part to fsync and merge each
 * time, and a turn in chDB's one-at-a-time queue of bound queries ahead of whatever a user asked for.
 */
import type { LeaseState } from '../db/repositories/leases.js'
import type { LeaseStore } from './lease.js'

interface Row {
  epoch: number
  holder: string
  renewedAt: number
}

export class LocalLeaseStore implements LeaseStore {
  /** The newest epoch of each lease and its newest renewal, as `current` reads the table. */
  private readonly rows = new Map<string, Row>()

  constructor(private readonly clock: () => number = () => performance.now()) {}

  async current(name: string): Promise<LeaseState | undefined> {
    const row = this.rows.get(name)
    return row && { epoch: row.epoch, holder: row.holder, ageMs: this.clock() - row.renewedAt }
  }

  /** The first claim of an epoch wins; a claim of an epoch older than the newest wins nothing. */
  async claim(name: string, epoch: number, holder: string): Promise<string | undefined> {
    const row = this.rows.get(name)
    if (row && row.epoch > epoch) return undefined
    if (row && row.epoch === epoch) return row.holder
    this.rows.set(name, { epoch, holder, renewedAt: this.clock() })
    return holder
  }

  /** As an inserted row: it is what `current` reads unless a newer epoch exists. */
  async renew(name: string, epoch: number, holder: string): Promise<void> {
    const row = this.rows.get(name)
    if (row && row.epoch > epoch) return
    this.rows.set(name, { epoch, holder, renewedAt: this.clock() })
  }
}
