import { randomBytes } from 'node:crypto'
import type { SessionProject } from '@sightline/schema'
import { overloaded } from '../../errors.js'
import type { Store } from '../client.js'
import { sql, str, strArray, u64, type SqlFragment } from '../sql.js'
import { hashKey, type ProjectRepository } from './projects.js'

/** A session as requests see it: only the projects whose keys are still valid. */
export interface ActiveSession {
  idHash: string
  /** Keys the session was signed in with, still valid, in sign-in order. */
  keyHashes: string[]
  projects: SessionProject[]
  /** The chosen project, or the first one left when the chosen one's key was revoked. */
  projectId: string
  expiresAt: Date
}

interface SessionRow {
  key_hashes: string[]
  current_project: string
  expires: string
}

interface CacheEntry {
  session: ActiveSession | undefined
  until: number
}

/**
 * Sign-out and key revocation clear this process's cache at once; the TTL bounds how long another
 * process sharing the store (a second server on one ClickHouse) may still honour a session.
 */
const CACHE_MS = 30_000
/** Unknown ids too, so a flood of made-up cookies does not cost a query each. */
const NEGATIVE_CACHE_MS = 5_000

const iso = (chTime: string) => `${chTime.replace(' ', 'T')}Z`

let lastVersion = 0
const nextVersion = () => (lastVersion = Math.max(Date.now(), lastVersion + 1))

/**
 * Console sessions. The browser holds a random 32-byte id; the store holds its SHA-256, the key
 * hashes it was signed in with, the current project and an expiry. A change (sign-out, switch)
 * writes a newer row copied from the current one, so all rows of a session keep its expiry and the
 * table's TTL drops them together.
 */
export class SessionRepository {
  private readonly cache = new Map<string, CacheEntry>()

  constructor(
    private readonly store: Store,
    private readonly projects: ProjectRepository,
    private readonly ttlMs: number,
  ) {
    // A revoked key must stop working through sessions at the next request, not after CACHE_MS.
    projects.onKeyRevoked(() => this.cache.clear())
  }

  /** A new session over `keyHashes`; returns the id for the cookie (shown nowhere else). */
  async create(keyHashes: readonly string[], currentProject: string): Promise<{ id: string; expiresAt: Date }> {
    const id = randomBytes(32).toString('base64url')
    const expiresAt = new Date(Date.now() + this.ttlMs)
    await this.store.command(sql`
      INSERT INTO console_sessions (id_hash, key_hashes, current_project, created_at, expires_at, revoked, version)
      VALUES (${str(hashKey(id))}, ${strArray([...new Set(keyHashes)])}, ${str(currentProject)}, now64(3),
              fromUnixTimestamp64Milli(${u64(expiresAt.getTime())}, 'UTC'), false, ${u64(nextVersion())})`)
    return { id, expiresAt }
  }

  /** The live session behind a cookie value, or undefined (unknown, expired, signed out, or no valid key left). */
  async find(id: string): Promise<ActiveSession | undefined> {
    const idHash = hashKey(id)
    const cached = this.cache.get(idHash)
    const now = Date.now()
    if (cached && cached.until > now) return cached.session
    let session: ActiveSession | undefined
    try {
      session = await this.load(idHash)
    } catch {
      if (cached?.session && cached.session.expiresAt.getTime() > now) return cached.session
      throw overloaded('Cannot verify the session while the store is unavailable; retry later.', 5)
    }
    if (this.cache.size > 10_000) this.cache.clear()
    const until = session ? Math.min(now + CACHE_MS, session.expiresAt.getTime()) : now + NEGATIVE_CACHE_MS
    this.cache.set(idHash, { session, until })
    return session
  }

  /** Sign-out: the id stops working at once, here and (within CACHE_MS) in other processes. */
  async revoke(idHash: string): Promise<void> {
    await this.rewrite(idHash, sql`current_project`, true)
  }

  async switchProject(session: ActiveSession, projectId: string): Promise<void> {
    await this.rewrite(session.idHash, sql`${str(projectId)}`, false)
  }

  private async rewrite(idHash: string, currentProject: SqlFragment, revoked: boolean): Promise<void> {
    await this.store.command(sql`
      INSERT INTO console_sessions (id_hash, key_hashes, current_project, created_at, expires_at, revoked, version)
      SELECT id_hash, key_hashes, ${currentProject}, created_at, expires_at, ${revoked ? sql`true` : sql`revoked`},
        ${u64(nextVersion())}
      FROM console_sessions FINAL WHERE id_hash = ${str(idHash)}`)
    this.cache.delete(idHash)
  }

  private async load(idHash: string): Promise<ActiveSession | undefined> {
    const [row] = await this.store.query<SessionRow>(sql`
      SELECT key_hashes, current_project, toString(expires_at) AS expires
      FROM console_sessions FINAL
      WHERE id_hash = ${str(idHash)} AND NOT revoked AND expires_at > now64(3)
      LIMIT 1`)
    if (!row) return undefined
    const keys = await this.projects.projectsOfKeys(row.key_hashes)
    if (keys.length === 0) return undefined
    const projectIds = [...new Set(keys.map((k) => k.projectId))]
    const names = await this.projects.projectNames(projectIds)
    const projects = projectIds.map((id) => ({ id, name: names.get(id) ?? id }))
    return {
      idHash,
      keyHashes: keys.map((k) => k.keyHash),
      projects,
      projectId: projectIds.includes(row.current_project) ? row.current_project : projectIds[0]!,
      expiresAt: new Date(iso(row.expires)),
    }
  }
}
