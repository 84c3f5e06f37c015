import { createHash, randomBytes } from 'node:crypto'
import type { Store } from '../client.js'
import { overloaded } from '../../errors.js'
import { LruCache } from '../../lru-cache.js'
import { TokenBucket } from '../../token-bucket.js'
import { sql, str, u64 } from '../sql.js'

export const DEFAULT_PROJECT_ID = 'default'

/** SHA-256 of a key. Keys are 32 random bytes, so a slow password hash would add nothing. */
export const hashKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex')

export const newApiKey = () => `sl_${randomBytes(32).toString('base64url')}`

interface KnownKey {
  projectId: string
  expiresAt: number
}

const KNOWN_TTL_MS = 60_000
const UNKNOWN_TTL_MS = 5_000
const CACHE_ENTRIES = 10_000

/**
 * Projects and their hashed API keys.
 *
 * Key lookups are cached: known keys for a minute, unknown keys for 5 s, in two bounded LRU caches,
 * so a flood of guesses can only push out older guesses, never the keys in use. Concurrent lookups
 * of one key share one query. Keys in neither cache are looked up in the store at most
 * `keyLookupsPerSecond` times a second (503 + Retry-After past that), so guessing random keys costs
 * the store a bounded number of queries; a key seen before is re-checked outside that budget.
 */
export class ProjectRepository {
  private readonly known = new LruCache<string, KnownKey>(CACHE_ENTRIES)
  private readonly unknown = new LruCache<string, number>(CACHE_ENTRIES)
  private readonly inflight = new Map<string, Promise<string | undefined>>()
  private readonly lookupBudget: TokenBucket

  constructor(
    private readonly store: Store,
    options: { keyLookupsPerSecond: number } = { keyLookupsPerSecond: 50 },
  ) {
    this.lookupBudget = new TokenBucket(options.keyLookupsPerSecond, 2 * options.keyLookupsPerSecond)
  }

  async createProject(name: string, id = `p_${randomBytes(8).toString('hex')}`): Promise<{ projectId: string; apiKey: string }> {
    await this.store.command(sql`INSERT INTO projects (id, name) VALUES (${str(id)}, ${str(name)})`)
    const apiKey = newApiKey()
    await this.addKey(id, apiKey, 'default')
    return { projectId: id, apiKey }
  }

  async addKey(projectId: string, apiKey: string, name: string): Promise<void> {
    await this.store.command(sql`
      INSERT INTO api_keys (key_hash, project_id, key_prefix, name, version)
      VALUES (${str(hashKey(apiKey))}, ${str(projectId)}, ${str(apiKey.slice(0, 6))}, ${str(name)}, ${u64(Date.now())})`)
    this.known.delete(hashKey(apiKey))
    this.unknown.delete(hashKey(apiKey))
  }

  async projectExists(projectId: string): Promise<boolean> {
    const rows = await this.store.query<{ n: string }>(sql`SELECT count() AS n FROM projects FINAL WHERE id = ${str(projectId)}`)
    return Number(rows[0]?.n ?? 0) > 0
  }

  async keyCount(projectId: string): Promise<number> {
    const rows = await this.store.query<{ n: string }>(
      sql`SELECT count() AS n FROM api_keys FINAL WHERE project_id = ${str(projectId)} AND NOT revoked`,
    )
    return Number(rows[0]?.n ?? 0)
  }

  /**
   * Makes sure the default project exists. With `apiKey` (SIGHTLINE_API_KEY) that key opens it;
   * without one and with no key yet, a key is generated and returned once, to be shown to the user.
   */
  async ensureDefaultProject(apiKey: string | undefined): Promise<{ generatedKey: string | undefined }> {
    if (!(await this.projectExists(DEFAULT_PROJECT_ID))) {
      await this.store.command(sql`INSERT INTO projects (id, name) VALUES (${str(DEFAULT_PROJECT_ID)}, ${str('Default project')})`)
    }
    if (apiKey) {
      if ((await this.findProjectByKey(apiKey)) !== DEFAULT_PROJECT_ID) await this.addKey(DEFAULT_PROJECT_ID, apiKey, 'SIGHTLINE_API_KEY')
      return { generatedKey: undefined }
    }
    if ((await this.keyCount(DEFAULT_PROJECT_ID)) > 0) return { generatedKey: undefined }
    const generated = newApiKey()
    await this.addKey(DEFAULT_PROJECT_ID, generated, 'generated at first start')
    return { generatedKey: generated }
  }

  async findProjectByKey(apiKey: string): Promise<string | undefined> {
    const keyHash = hashKey(apiKey)
    const now = Date.now()
    const known = this.known.get(keyHash)
    if (known && known.expiresAt > now) return known.projectId
    const unknownUntil = this.unknown.get(keyHash)
    if (unknownUntil !== undefined && unknownUntil > now) return undefined
    const pending = this.inflight.get(keyHash)
    if (pending) return pending
    if (!known && !this.lookupBudget.take(now)) {
      throw overloaded('Too many unknown API keys are being checked right now; retry later.', 1)
    }
    const lookup = this.lookUp(keyHash, known).finally(() => this.inflight.delete(keyHash))
    this.inflight.set(keyHash, lookup)
    return lookup
  }

  private async lookUp(keyHash: string, stale: KnownKey | undefined): Promise<string | undefined> {
    let rows: Array<{ project_id: string }>
    try {
      rows = await this.store.query<{ project_id: string }>(
        sql`SELECT project_id FROM api_keys FINAL WHERE key_hash = ${str(keyHash)} AND NOT revoked LIMIT 1`,
      )
    } catch {
      // The store is down: an expired entry is still a better answer than refusing a batch the
      // spool could take. Without one, 503 makes exporters retry (a 500 would drop the batch).
      if (stale) return stale.projectId
      throw overloaded('Cannot verify the API key while the store is unavailable; retry later.', 5)
    }
    const projectId = rows[0]?.project_id
    if (projectId) {
      this.known.set(keyHash, { projectId, expiresAt: Date.now() + KNOWN_TTL_MS })
      this.unknown.delete(keyHash)
    } else {
      this.known.delete(keyHash)
      this.unknown.set(keyHash, Date.now() + UNKNOWN_TTL_MS)
    }
    return projectId
  }
}
