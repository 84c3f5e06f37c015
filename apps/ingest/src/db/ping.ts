import type { Store } from './client.js'
import { sql } from './sql.js'

/** Resolves when the store answers a trivial query, throws when it does not (readiness, the writer's retry gate). */
export async function pingStore(store: Store): Promise<void> {
  await store.query(sql`SELECT 1`)
}
