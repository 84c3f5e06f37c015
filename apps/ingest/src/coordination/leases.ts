/**
 * The singleton jobs of an ingest process, each under its own lease so that with several replicas on
 * one store each runs on exactly one of them (possibly different ones): the trace resolver, anomaly
 * detection, registry drift scans and online evaluators. A scheduled job is started when its lease is
 * taken and stopped (its current run awaited) when the lease is lost.
 */
import type { Logger } from '../logger.js'
import { DEFAULT_LEASE_TIMING, Lease, type LeaseStore, type LeaseTiming } from './lease.js'

const JOBS = ['resolver', 'detector', 'registry', 'evaluator'] as const
export type Job = (typeof JOBS)[number]

export interface ScheduledJob {
  start(): void
  stop(): Promise<void>
}

export class Leases {
  private readonly leases: Map<Job, Lease>

  constructor(repository: LeaseStore, holder: string, logger: Logger, timing: LeaseTiming = DEFAULT_LEASE_TIMING) {
    this.leases = new Map(JOBS.map((job) => [job, new Lease(job, holder, repository, logger, timing)]))
  }

  of(job: Job): Lease {
    return this.leases.get(job)!
  }

  /** Runs `scheduled` while this replica holds the job's lease. */
  bind(job: Job, scheduled: ScheduledJob, logger: Logger): void {
    this.of(job).onChange((held) => {
      if (held) scheduled.start()
      else
        void scheduled
          .stop()
          .catch((err: unknown) => logger.warn('stopping a job after its lease ran out failed', { job, err }))
    })
  }

  /** Starts every lease; resolves once each made its first attempt (a lone replica then holds them all). */
  async start(): Promise<void> {
    await Promise.all([...this.leases.values()].map((lease) => lease.start()))
  }

  async stop(): Promise<void> {
    await Promise.all([...this.leases.values()].map((lease) => lease.stop()))
  }
}

/** Lease timing from the lease time: renewed five times per lease time, fenced a third of it early. */
export function leaseTiming(ttlMs: number): LeaseTiming {
  return { ttlMs, renewMs: Math.max(100, Math.round(ttlMs / 5)), marginMs: Math.round(ttlMs / 3) }
}
