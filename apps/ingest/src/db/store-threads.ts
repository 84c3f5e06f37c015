/**
 * Runs the embedded engine's threads (query pipeline, parsing, merges: every thread ClickHouse
 * names) at a lower CPU priority than Node's own (the event loop, libuv's file and zlib pool,
 * V8's helpers).
 *
 * On a small machine one 16 MB insert keeps both cores busy for about a second. At equal priority
 * the event loop waits its turn, and every acknowledgement waits with it; at a lower one the
 * engine still gets all the CPU the event loop leaves idle. Measured on 2 cores at half load:
 * paced ack p99 at nice 10 vs 0 in BENCHMARKS.md ("What changed on 2026-12-04", step 4).
 *
 * Linux only: a thread's nice value is set through its id (`setpriority(PRIO_PROCESS, tid)`), which
 * raising is always allowed. Threads appear as the engine needs them, so the list is re-read every
 * second; a thread inherits its creator's priority, so most start low already.
 */
import fs from 'node:fs'
import os from 'node:os'

/** Names Node gives its threads (20: all "node"; later versions name libuv's and V8's). */
const NODE_THREAD_NAMES = new Set(['node', 'libuv-worker', 'V8Worker', 'SignalInspector', 'DelayedTaskSch'])
const TASKS = '/proc/self/task'

/** Lowers the engine's threads now and every `intervalMs`; returns the function that stops it. */
export function lowerStoreThreadPriority(nice: number, intervalMs = 1_000): () => void {
  if (nice === 0 || process.platform !== 'linux') return () => undefined
  const seen = new Set<number>()
  const scan = () => {
    let tids: string[]
    try {
      tids = fs.readdirSync(TASKS)
    } catch {
      return
    }
    const alive = new Set(tids.map(Number))
    for (const tid of alive) {
      if (seen.has(tid)) continue
      seen.add(tid)
      if (tid === process.pid) continue
      try {
        if (!NODE_THREAD_NAMES.has(fs.readFileSync(`${TASKS}/${tid}/comm`, 'utf8').trim())) os.setPriority(tid, nice)
      } catch {
        // The thread ended between the listing and here.
      }
    }
    for (const tid of seen) if (!alive.has(tid)) seen.delete(tid)
  }
  scan()
  const timer = setInterval(scan, intervalMs)
  timer.unref()
  return () => clearInterval(timer)
}
