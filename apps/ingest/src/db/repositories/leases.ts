/**
 * Store access of leases (src/coordination/lease.ts; the table and its protocol: migration 0026).
 * Times are the store's clock, so replicas whose clocks disagree still agree on expiry.
 */
import { randomUUID } from 'node:crypto'
import type { Store } from '../client.js'
import { sql, str, u64 } from '../sql.js'

export interface LeaseState {
  epoch: number
  holder: string
  /** How long ago (store clock) the epoch was last renewed. */
  ageMs: number
}

export class LeaseRepository {
  constructor(private readonly store: Store) {}

  /** The newest epoch of the lease, or undefined if it was never claimed. */
  async current(name: string): Promise<LeaseState | undefined> {
    const rows = await this.store.query<{ epoch: string | number; holder: string; age_ms: string | number }>(sql`
      SELECT epoch, holder, toUnixTimestamp64Milli(now64(3)) - toUnixTimestamp64Milli(renewed_at) AS age_ms
      FROM leases WHERE name = ${str(name)}
      ORDER BY epoch DESC, renewed_at DESC LIMIT 1`)
    const row = rows[0]
    return row && { epoch: Number(row.epoch), holder: row.holder, ageMs: Number(row.age_ms) }
  }

  /**
   * Claims `epoch` for `holder`; returns who holds it now. Of concurrent claims of one epoch the
   * store keeps the first (same deduplication token), so every claimer reads the same winner.
   */
  async claim(name: string, epoch: number, holder: string): Promise<string | undefined> {
    await this.store.insertJsonEachRow('leases', row(name, epoch, holder), `lease:${name}:${epoch}`)
    const rows = await this.store.query<{ holder: string }>(sql`
      SELECT holder FROM leases WHERE name = ${str(name)} AND epoch = ${u64(epoch)} ORDER BY renewed_at LIMIT 1`)
    return rows[0]?.holder
  }

  async renew(name: string, epoch: number, holder: string): Promise<void> {
    await this.store.insertJsonEachRow('leases', row(name, epoch, holder), `lease-renewal:${randomUUID()}`)
  }
}

// renewed_at is left to the column default: the store's clock at the insert.
const row = (name: string, epoch: number, holder: string) => Buffer.from(JSON.stringify({ name, epoch, holder }))
