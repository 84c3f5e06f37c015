/**
 * A lease in the store: which of several ingest replicas runs a singleton job (the resolver, anomaly
 * detection, drift scans, online evaluators). Protocol and table: migration 0026_coordination.sql.
 *
 * Every `renewMs` the keeper renews the lease it holds, or claims it once the holder's last renewal
 * is older than `ttlMs` by the store's clock (a dead or partitioned holder). The holder fences
 * itself: it counts the lease as held only until `ttlMs - marginMs` after it *sent* its last renewal
 * that succeeded, by its own monotonic clock. A rival claims only after `ttlMs` past that renewal
 * by the store's clock, so the holder has stopped `marginMs` before anyone else may start, and a
 * write the holder sent just before the deadline has `marginMs` to land.
 *
 * A replica keeps its identity across restarts (replica-id.ts), so a restarted replica takes its
 * lease back at once instead of waiting for it to expire.
 */
import type { LeaseRepository } from '../db/repositories/leases.js'
import type { Logger } from '../logger.js'

/** Where leases are kept: the store's table (LeaseRepository), or this process alone (local-leases.ts). */
export type LeaseStore = Pick<LeaseRepository, 'current' | 'claim' | 'renew'>

export interface LeaseTiming {
  ttlMs: number
  renewMs: number
  marginMs: number
}

export const DEFAULT_LEASE_TIMING: LeaseTiming = { ttlMs: 15_000, renewMs: 3_000, marginMs: 5_000 }

export class Lease {
  private epoch = 0
  /** performance.now() until which the lease counts as held (0: not held). */
  private heldUntil = 0
  private timer: NodeJS.Timeout | undefined
  /** Fires when the lease runs out without a renewal (a renewal stuck on a slow store). */
  private expiry: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private stopped = true
  private wasHeld = false
  private readonly listeners: Array<(held: boolean) => void> = []

  constructor(
    readonly name: string,
    private readonly holder: string,
    private readonly repository: LeaseStore,
    private readonly logger: Logger,
    private readonly timing: LeaseTiming = DEFAULT_LEASE_TIMING,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** True while this replica may run the job (checked before each unit of work). */
  get held(): boolean {
    return this.clock() < this.heldUntil
  }

  /** Called with `true` when the lease is taken and `false` when it is lost or released. */
  onChange(listener: (held: boolean) => void): void {
    this.listeners.push(listener)
  }

  /** Starts renewing (or trying to take) the lease; resolves after the first attempt, held or not. */
  start(): Promise<void> {
    if (!this.stopped) return this.running ?? Promise.resolve()
    this.stopped = false
    const loop = () => {
      this.running = this.attempt().finally(() => {
        this.running = undefined
        if (!this.stopped) this.timer = setTimeout(loop, this.timing.renewMs)
      })
      return this.running
    }
    return loop()
  }

  /** One renewal (or claim) now, after any in flight; whether the lease is held after it. */
  async confirm(): Promise<boolean> {
    if (this.stopped) return false
    await this.running
    await this.attempt()
    return this.held
  }

  /**
   * Stops renewing. The lease is not handed back: the next holder waits for it to expire, unless it
   * is this replica restarting (same identity).
   */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    if (this.expiry) clearTimeout(this.expiry)
    await this.running
    this.heldUntil = 0
    this.announce()
  }

  /** One renewal or claim; never throws (a store failure only lets the lease run out). */
  private async attempt(): Promise<void> {
    const sentAt = this.clock()
    try {
      const state = await this.repository.current(this.name)
      if (state && state.holder === this.holder) {
        // Ours: renewed by this process, or by this replica before a restart.
        if (state.epoch !== this.epoch)
          this.logger.info('lease taken back after a restart', { lease: this.name, epoch: state.epoch })
        await this.repository.renew(this.name, state.epoch, this.holder)
        this.epoch = state.epoch
        this.heldUntil = sentAt + this.timing.ttlMs - this.timing.marginMs
      } else if (!state || state.ageMs > this.timing.ttlMs) {
        const epoch = (state?.epoch ?? 0) + 1
        const winner = await this.repository.claim(this.name, epoch, this.holder)
        if (winner === this.holder) {
          this.epoch = epoch
          this.heldUntil = sentAt + this.timing.ttlMs - this.timing.marginMs
          this.logger.info('lease acquired', { lease: this.name, epoch, previous: state?.holder ?? null })
        } else {
          this.heldUntil = 0
        }
      } else {
        this.heldUntil = 0
      }
    } catch (err) {
      this.logger.warn('lease renewal failed; the lease runs out unless a later renewal succeeds', {
        lease: this.name,
        err,
      })
    }
    this.announce()
  }

  private announce(): void {
    const held = this.held
    if (this.expiry) clearTimeout(this.expiry)
    if (held && !this.stopped) {
      this.expiry = setTimeout(() => this.announce(), Math.max(0, this.heldUntil - this.clock()) + 1)
      this.expiry.unref()
    }
    if (held === this.wasHeld) return
    this.wasHeld = held
    for (const listener of this.listeners) listener(held)
  }
}
