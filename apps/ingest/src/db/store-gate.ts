/**
 * After `close()` starts, the store refuses new calls, and it closes only once the calls already
 * running have settled. chDB's close frees the native session synchronously, under any query still
 * running on the libuv pool (the likely cause of the one SIGSEGV seen when SIGTERM arrived under load);
 * the HTTP client would open new sockets after close. Either way nothing reaches the store once stopped.
 */
import type { Store } from './client.js'

/** `store`, gated: calls are tracked, and `close()` waits for them (see above). */
export function drainBeforeClose(store: Store): Store {
  let closing: Promise<void> | undefined
  const running = new Set<Promise<unknown>>()
  const gate =
    <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      if (closing) return Promise.reject(new Error('the store is closed'))
      const call = f(...args)
      running.add(call)
      const forget = () => running.delete(call)
      call.then(forget, forget)
      return call
    }
  return {
    kind: store.kind,
    dialect: store.dialect,
    client: store.client,
    query: gate(store.query) as Store['query'],
    queryValues: gate(store.queryValues),
    queryColumns: gate(store.queryColumns),
    command: gate(store.command),
    insertJsonEachRow: gate(store.insertJsonEachRow),
    insertValues: gate(store.insertValues),
    close() {
      closing ??= Promise.allSettled([...running]).then(() => store.close())
      return closing
    },
  }
}
