/**
 * Bounds concurrent query-API requests, overall and per project, with a short queue. 500
 * concurrent trace-list calls once ran all at once against the store and took 28 s each; past the
 * queue a caller now gets 503 + Retry-After at once, and the store keeps its CPU for the calls it
 * runs (and for ingest, which never waits here).
 */
import { overloaded } from './errors.js'

export interface QueryLimits {
  maxConcurrent: number
  maxConcurrentPerProject: number
  /** Waiting requests per project. */
  maxQueued: number
  queueTimeoutMs: number
}

interface Waiter {
  projectId: string
  start(): void
  timer: NodeJS.Timeout
}

const RETRY_AFTER_SECONDS = 1

export class QueryLimiter {
  private running = 0
  private readonly runningByProject = new Map<string, number>()
  private readonly queuedByProject = new Map<string, number>()
  /** First come, first served, across projects. */
  private readonly queue: Waiter[] = []

  constructor(private readonly limits: QueryLimits) {}

  /** Resolves with the function that frees the slot; throws 503 when the project's queue is full. */
  async acquire(projectId: string): Promise<() => void> {
    if (this.canRun(projectId)) return this.begin(projectId)
    const queued = this.queuedByProject.get(projectId) ?? 0
    if (queued >= this.limits.maxQueued) throw busy()
    this.queuedByProject.set(projectId, queued + 1)
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        projectId,
        start: () => resolve(this.begin(projectId)),
        timer: setTimeout(() => {
          this.leaveQueue(waiter)
          reject(busy())
        }, this.limits.queueTimeoutMs),
      }
      this.queue.push(waiter)
    })
  }

  private canRun(projectId: string): boolean {
    return (
      this.running < this.limits.maxConcurrent &&
      (this.runningByProject.get(projectId) ?? 0) < this.limits.maxConcurrentPerProject
    )
  }

  private begin(projectId: string): () => void {
    this.running += 1
    this.runningByProject.set(projectId, (this.runningByProject.get(projectId) ?? 0) + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      this.running -= 1
      const left = (this.runningByProject.get(projectId) ?? 1) - 1
      if (left === 0) this.runningByProject.delete(projectId)
      else this.runningByProject.set(projectId, left)
      this.startWaiters()
    }
  }

  /** Starts the oldest waiters whose project has room, skipping over projects that have none. */
  private startWaiters(): void {
    for (let i = 0; i < this.queue.length && this.running < this.limits.maxConcurrent; ) {
      const waiter = this.queue[i]!
      if (!this.canRun(waiter.projectId)) {
        i++
        continue
      }
      this.leaveQueue(waiter)
      clearTimeout(waiter.timer)
      waiter.start()
    }
  }

  private leaveQueue(waiter: Waiter): void {
    const index = this.queue.indexOf(waiter)
    if (index < 0) return
    this.queue.splice(index, 1)
    const left = (this.queuedByProject.get(waiter.projectId) ?? 1) - 1
    if (left === 0) this.queuedByProject.delete(waiter.projectId)
    else this.queuedByProject.set(waiter.projectId, left)
  }
}

function busy() {
  return overloaded('Too many queries are running for this project; retry shortly.', RETRY_AFTER_SECONDS)
}
