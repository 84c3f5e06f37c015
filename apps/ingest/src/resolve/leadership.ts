/** The `resolver` lease as the resolver sees it (src/coordination/lease.ts). */
export interface Leadership {
  readonly held: boolean
}

/** Thrown when the lease ran out before a write: the next leader redoes the work. */
export class NotLeader extends Error {
  constructor() {
    super('the resolver lease is not held by this replica')
    this.name = 'NotLeader'
  }
}
