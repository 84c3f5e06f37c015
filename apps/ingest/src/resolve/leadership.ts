/** The `resolver` lease as the resolver sees it (src/coordination/lease.ts). */
export interface Leadership {
  readonly held: boolean
  /**
   * Renews now if this replica is still the holder and returns whether it holds the lease. A long
   * resolution (a trace of 100,000 spans) can keep the event loop from renewing on time although no
   * other replica took over; the write then confirms instead of discarding the work.
   */
  confirm?(): Promise<boolean>
}

/** Thrown when the lease ran out before a write: the next leader redoes the work. */
export class NotLeader extends Error {
  constructor() {
    super('the resolver lease is not held by this replica')
    this.name = 'NotLeader'
  }
}
