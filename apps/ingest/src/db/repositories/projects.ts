import { createHash, randomBytes } from 'node:crypto'
import type { ApiKeyInfo, ProjectInfo } from '@sightline/schema'
import type { Store } from '../client.js'
import { overloaded } from '../../errors.js'
import { LruCache } from '../../lru-cache.js'
import { TokenBucket } from '../../token-bucket.js'
import { sql, str, strArray, u64 } from '../sql.js'

export const DEFAULT_PROJECT_ID = 'default'

/** SHA-256 of a key (or session id). Both are 32 random bytes, so a slow password hash would add nothing. */
export const hashKey = (key: string) => createHash('sha256').update(key, 'utf8').digest('hex')

const newApiKey = () => `sl_${randomBytes(32).toString('base64url')}`

/** Same rule as the column default of migration 0013, which gave ids to keys made before it. */
export const keyIdOf = (keyHash: string) => `k_${keyHash.slice(0, 16)}`

interface KeyRow {
  id: string
  project_id: string
  key_prefix: string
  name: string
  created_at: string
  revoked: boolean
  revoked_at: string | null
}

const iso = (chTime: string) => `${chTime.replace(' ', 'T')}Z`
const KEY_COLUMNS = sql`id, project_id, key_prefix, name, toString(created_at) AS created_at, revoked,
  toString(revoked_at) AS revoked_at`
const toKeyInfo = (r: KeyRow): ApiKeyInfo => ({
  id: r.id,
  projectId: r.project_id,
  prefix: r.key_prefix,
  name: r.name,
  createdAt: iso(r.created_at),
  revoked: Boolean(r.revoked),
  revokedAt: r.revoked_at ? iso(r.revoked_at) : null,
})

/** Row versions strictly increase, even for a create and a revoke in the same millisecond. */
let lastVersion = 0
const nextVersion = () => (lastVersion = Math.max(Date.now(), lastVersion + 1))

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
 * A revocation clears the caches and tells `onKeyRevoked` listeners (console sessions), so it
 * takes effect on the next request.
 */
export class ProjectRepository {
  private readonly known = new LruCache<string, KnownKey>(CACHE_ENTRIES)
  private readonly unknown = new LruCache<string, number>(CACHE_ENTRIES)
  private readonly inflight = new Map<string, Promise<string | undefined>>()
  private readonly lookupBudget: TokenBucket
  private readonly revokeListeners: Array<() => void> = []
  /** Bumped by a revocation, so a lookup that raced it does not cache what it read before it. */
  private revocations = 0

  constructor(
    private readonly store: Store,
    options: { keyLookupsPerSecond: number } = { keyLookupsPerSecond: 50 },
  ) {
    this.lookupBudget = new TokenBucket(options.keyLookupsPerSecond, 2 * options.keyLookupsPerSecond)
  }

  onKeyRevoked(listener: () => void): void {
    this.revokeListeners.push(listener)
  }

  async createProject(
    name: string,
    id = `p_${randomBytes(8).toString('hex')}`,
  ): Promise<{ projectId: string; apiKey: string; key: ApiKeyInfo }> {
    await this.store.command(sql`INSERT INTO projects (id, name) VALUES (${str(id)}, ${str(name)})`)
    const { apiKey, key } = await this.createKey(id, 'default')
    return { projectId: id, apiKey, key }
  }

  /** A new random key for the project; the secret is returned here and never stored. */
  async createKey(projectId: string, name: string): Promise<{ apiKey: string; key: ApiKeyInfo }> {
    const apiKey = newApiKey()
    await this.addKey(projectId, apiKey, name)
    const keys = await this.store.query<KeyRow>(
      sql`SELECT ${KEY_COLUMNS} FROM api_keys FINAL WHERE key_hash = ${str(hashKey(apiKey))}`,
    )
    if (!keys[0]) throw new Error('a key just inserted is not readable')
    return { apiKey, key: toKeyInfo(keys[0]) }
  }

  async addKey(projectId: string, apiKey: string, name: string): Promise<void> {
    const keyHash = hashKey(apiKey)
    await this.store.command(sql`
      INSERT INTO api_keys (key_hash, id, project_id, key_prefix, name, version)
      VALUES (${str(keyHash)}, ${str(keyIdOf(keyHash))}, ${str(projectId)}, ${str(apiKey.slice(0, 6))}, ${str(name)},
        ${u64(nextVersion())})`)
    this.known.delete(keyHash)
    this.unknown.delete(keyHash)
  }

  async projectExists(projectId: string): Promise<boolean> {
    const rows = await this.store.query<{ n: string }>(
      sql`SELECT count() AS n FROM projects FINAL WHERE id = ${str(projectId)}`,
    )
    return Number(rows[0]?.n ?? 0) > 0
  }

  async keyCount(projectId: string): Promise<number> {
    const rows = await this.store.query<{ n: string }>(
      sql`SELECT count() AS n FROM api_keys FINAL WHERE project_id = ${str(projectId)} AND NOT revoked`,
    )
    return Number(rows[0]?.n ?? 0)
  }

  /** Every project with its number of active keys, oldest first (the admin API's view). */
  async listProjects(): Promise<ProjectInfo[]> {
    const [projects, counts] = await Promise.all([
      this.store.query<{ id: string; name: string; created_at: string }>(
        sql`SELECT id, name, toString(created_at) AS created_at FROM projects FINAL ORDER BY created_at, id`,
      ),
      this.store.query<{ project_id: string; n: string }>(
        sql`SELECT project_id, count() AS n FROM api_keys FINAL WHERE NOT revoked GROUP BY project_id`,
      ),
    ])
    const active = new Map(counts.map((c) => [c.project_id, Number(c.n)]))
    return projects.map((p) => ({
      id: p.id,
      name: p.name,
      createdAt: iso(p.created_at),
      activeKeys: active.get(p.id) ?? 0,
    }))
  }

  async getProject(projectId: string): Promise<ProjectInfo | undefined> {
    return (await this.listProjects()).find((p) => p.id === projectId)
  }

  /** The projects the given key hashes open (revoked and unknown keys left out), in the order given. */
  async projectsOfKeys(keyHashes: readonly string[]): Promise<Array<{ keyHash: string; projectId: string }>> {
    if (keyHashes.length === 0) return []
    const rows = await this.store.query<{ key_hash: string; project_id: string }>(
      sql`SELECT key_hash, project_id FROM api_keys FINAL WHERE key_hash IN ${strArray([...keyHashes])}
        AND NOT revoked`,
    )
    const byHash = new Map(rows.map((r) => [r.key_hash, r.project_id]))
    return keyHashes.flatMap((keyHash) => {
      const projectId = byHash.get(keyHash)
      return projectId ? [{ keyHash, projectId }] : []
    })
  }

  /** Names of the given projects (those that exist). */
  async projectNames(projectIds: readonly string[]): Promise<Map<string, string>> {
    if (projectIds.length === 0) return new Map()
    const rows = await this.store.query<{ id: string; name: string }>(
      sql`SELECT id, name FROM projects FINAL WHERE id IN ${strArray([...projectIds])}`,
    )
    return new Map(rows.map((r) => [r.id, r.name]))
  }

  /** A project's keys, revoked ones included, newest first. */
  async listKeys(projectId: string): Promise<ApiKeyInfo[]> {
    const rows = await this.store.query<KeyRow>(
      sql`SELECT ${KEY_COLUMNS} FROM api_keys FINAL WHERE project_id = ${str(projectId)} ORDER BY created_at DESC, id`,
    )
    return rows.map(toKeyInfo)
  }

  /**
   * Revokes a key by id: a newer row of it with `revoked`. Effective at the next request: the key
   * cache is cleared and sessions are told. Undefined when no key has this id.
   */
  async revokeKey(keyId: string): Promise<ApiKeyInfo | undefined> {
    const rows = await this.store.query<KeyRow & { key_hash: string }>(
      sql`SELECT key_hash, ${KEY_COLUMNS} FROM api_keys FINAL WHERE id = ${str(keyId)} LIMIT 1`,
    )
    const row = rows[0]
    if (!row) return undefined
    if (!row.revoked) {
      await this.store.command(sql`
        INSERT INTO api_keys (key_hash, id, project_id, key_prefix, name, created_at, revoked, revoked_at, version)
        SELECT key_hash, id, project_id, key_prefix, name, created_at, true, now64(3), ${u64(nextVersion())}
        FROM api_keys FINAL WHERE key_hash = ${str(row.key_hash)}`)
    }
    this.revocations++
    this.known.clear()
    this.unknown.clear()
    this.inflight.clear()
    for (const listener of this.revokeListeners) listener()
    const [after] = await this.store.query<KeyRow>(
      sql`SELECT ${KEY_COLUMNS} FROM api_keys FINAL WHERE key_hash = ${str(row.key_hash)}`,
    )
    return after && toKeyInfo(after)
  }

  /**
   * Makes sure the default project exists. With `apiKey` (SIGHTLINE_API_KEY) that key opens it,
   * unless an operator revoked it (a restart must not bring a revoked key back); without one and
   * with no key yet, a key is generated and returned once, to be shown to the user.
   */
  async ensureDefaultProject(
    apiKey: string | undefined,
  ): Promise<{ generatedKey: string | undefined; isConfiguredKeyRevoked: boolean }> {
    if (!(await this.projectExists(DEFAULT_PROJECT_ID))) {
      await this.store.command(
        sql`INSERT INTO projects (id, name) VALUES (${str(DEFAULT_PROJECT_ID)}, ${str('Default project')})`,
      )
    }
    if (apiKey) {
      const [known] = await this.store.query<{ project_id: string; revoked: boolean }>(
        sql`SELECT project_id, revoked FROM api_keys FINAL WHERE key_hash = ${str(hashKey(apiKey))} LIMIT 1`,
      )
      if (known?.revoked) return { generatedKey: undefined, isConfiguredKeyRevoked: true }
      if (known?.project_id !== DEFAULT_PROJECT_ID) await this.addKey(DEFAULT_PROJECT_ID, apiKey, 'SIGHTLINE_API_KEY')
      return { generatedKey: undefined, isConfiguredKeyRevoked: false }
    }
    if ((await this.keyCount(DEFAULT_PROJECT_ID)) > 0) return { generatedKey: undefined, isConfiguredKeyRevoked: false }
    const generated = newApiKey()
    await this.addKey(DEFAULT_PROJECT_ID, generated, 'generated at first start')
    return { generatedKey: generated, isConfiguredKeyRevoked: false }
  }

  async findProjectByKey(apiKey: string): Promise<string | undefined> {
    return this.findProjectByKeyHash(hashKey(apiKey))
  }

  async findProjectByKeyHash(keyHash: string): Promise<string | undefined> {
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
    const lookup = this.lookUp(keyHash, known).finally(() => {
      if (this.inflight.get(keyHash) === lookup) this.inflight.delete(keyHash)
    })
    this.inflight.set(keyHash, lookup)
    return lookup
  }

  private async lookUp(keyHash: string, stale: KnownKey | undefined): Promise<string | undefined> {
    const revocations = this.revocations
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
    // A key revoked while this read was in flight: read again rather than answer from before it.
    if (revocations !== this.revocations) return this.lookUp(keyHash, undefined)
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
