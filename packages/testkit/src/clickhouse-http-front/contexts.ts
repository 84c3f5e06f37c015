/**
 * The context a query runs in, as on a server: without `session_id`, a fresh context per request
 * (a fresh chDB connection, so nothing leaks); with one, the named session's context, which keeps
 * what `SET`, `USE` and temporary tables did in earlier requests, is used by one request at a time
 * (SESSION_IS_LOCKED otherwise) and ends `session_timeout` seconds after its last request.
 *
 * Settings given as URL parameters apply to that query only, on a server as here. In a fresh
 * context that is free. Fresh contexts are pooled by what was applied to them (settings, database,
 * read-only): a later request asking for exactly the same state gets one back without opening a
 * connection or running a `SET` (a trivial query went from 10–13 ms to about 4 ms); a context whose
 * statement may have changed its own state (`SET`, `USE`, temporary tables) or that failed is
 * closed instead. In a named session they are set before the query and put back after it:
 * the previous value where the session had changed it, else `SET name = DEFAULT`; the current
 * database likewise. (chDB has no per-query settings of its own: a `SET` would leak into the
 * session, which is exactly the pitfall the product avoids with inline SETTINGS.)
 */
import { ClickHouseException } from './exceptions.js'
import type { Engine, EngineConnection } from './engine.js'
import type { QueryRequest, SessionRequest } from './request.js'

export interface QueryContext {
  connection: EngineConnection
  /** Undoes the per-query settings (named sessions) and hands the context back. */
  end(failed: boolean): Promise<void>
}

interface NamedSession {
  connection: EngineConnection
  busy: boolean
  timer: NodeJS.Timeout | undefined
}

const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
/** Statements that change their context's own state: that context is not handed to anyone else. */
const CHANGES_CONTEXT = /^\s*(SET|USE)\b|\bTEMPORARY\b/i
const IDLE_PER_STATE = 4
const IDLE_STATES = 32

export class Contexts {
  private readonly sessions = new Map<string, NamedSession>()
  /** Idle fresh contexts by the state applied to them, least recently used first. */
  private readonly idle = new Map<string, EngineConnection[]>()

  constructor(private readonly engine: Engine) {}

  async open(request: QueryRequest): Promise<QueryContext> {
    return request.session ? this.openNamed(request, request.session) : this.openFresh(request)
  }

  close(): void {
    for (const connections of this.idle.values()) for (const connection of connections) connection.close()
    this.idle.clear()
    for (const session of this.sessions.values()) {
      clearTimeout(session.timer)
      session.connection.close()
    }
    this.sessions.clear()
  }

  private async openFresh(request: QueryRequest): Promise<QueryContext> {
    const state = JSON.stringify([request.readOnly, request.database ?? '', Object.entries(request.settings).sort()])
    let connection = this.takeIdle(state)
    if (!connection) {
      connection = this.engine.connect()
      try {
        if (request.readOnly) await connection.exec('SET readonly = 2')
        await applySettings(connection, request)
      } catch (error) {
        connection.close()
        throw error
      }
    }
    const used = connection
    return {
      connection: used,
      end: async (failed) => {
        if (failed || CHANGES_CONTEXT.test(request.text)) used.close()
        else this.putIdle(state, used)
      },
    }
  }

  private takeIdle(state: string): EngineConnection | undefined {
    const connections = this.idle.get(state)
    const connection = connections?.pop()
    if (connections?.length === 0) this.idle.delete(state)
    return connection
  }

  private putIdle(state: string, connection: EngineConnection): void {
    const connections = this.idle.get(state) ?? []
    this.idle.delete(state) // re-inserted last: the most recently used state
    if (connections.length >= IDLE_PER_STATE) connection.close()
    else connections.push(connection)
    this.idle.set(state, connections)
    if (this.idle.size > IDLE_STATES) {
      const [oldest, stale] = this.idle.entries().next().value as [string, EngineConnection[]]
      this.idle.delete(oldest)
      for (const c of stale) c.close()
    }
  }

  private async openNamed(request: QueryRequest, wanted: SessionRequest): Promise<QueryContext> {
    if (request.readOnly) {
      // readonly=2 cannot be lifted again from inside the session, so it would outlive the query.
      throw ClickHouseException.of(
        'NOT_IMPLEMENTED',
        'front: GET queries in a named session are not emulated; use POST',
      )
    }
    let session = this.sessions.get(wanted.id)
    if (!session) {
      if (wanted.check) throw ClickHouseException.of('SESSION_NOT_FOUND', `Session ${wanted.id} not found`)
      session = { connection: this.engine.connect(), busy: false, timer: undefined }
      this.sessions.set(wanted.id, session)
    }
    if (session.busy)
      throw ClickHouseException.of('SESSION_IS_LOCKED', `Session ${wanted.id} is locked by a concurrent client`)
    session.busy = true
    clearTimeout(session.timer)
    const named = session
    const release = () => {
      named.busy = false
      if (wanted.close) this.endSession(wanted.id)
      else named.timer = setTimeout(() => this.endSession(wanted.id), wanted.timeoutS * 1000).unref()
    }
    let restore: () => Promise<void>
    try {
      restore = await snapshot(named.connection, Object.keys(request.settings))
      await applySettings(named.connection, request)
    } catch (error) {
      release()
      throw error
    }
    return {
      connection: named.connection,
      end: async () => {
        try {
          await restore()
        } finally {
          release()
        }
      },
    }
  }

  private endSession(id: string): void {
    const session = this.sessions.get(id)
    if (!session || session.busy) return
    this.sessions.delete(id)
    session.connection.close()
  }
}

async function applySettings(connection: EngineConnection, request: QueryRequest): Promise<void> {
  for (const [name, value] of Object.entries(request.settings)) {
    if (!SETTING_NAME.test(name)) throw ClickHouseException.of('UNKNOWN_SETTING', `Unknown setting '${name}'`)
    await connection.exec(`SET ${name} = ${quote(value)}`)
  }
  if (request.database !== undefined) await connection.exec(`USE ${identifier(request.database)}`)
}

/** What the session had before this query: the settings about to be set, and its database. */
async function snapshot(connection: EngineConnection, names: string[]): Promise<() => Promise<void>> {
  const database = (await connection.text('SELECT currentDatabase()')).trim()
  const known = names.filter((name) => SETTING_NAME.test(name))
  const rows =
    known.length === 0
      ? ''
      : await connection.text(
          `SELECT name, value, changed FROM system.settings WHERE name IN (${known.map(quote).join(', ')})`,
        )
  const previous = rows
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t') as [string, string, string])
  return async () => {
    for (const [name, value, changed] of previous) {
      await connection.exec(changed === '1' ? `SET ${name} = ${quote(unescapeTsv(value))}` : `SET ${name} = DEFAULT`)
    }
    await connection.exec(`USE ${identifier(unescapeTsv(database))}`)
  }
}

/** A ClickHouse string literal. */
function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}

function identifier(name: string): string {
  return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``
}

/** TabSeparated output escapes backslash, tab and newline. */
function unescapeTsv(text: string): string {
  return text.replace(/\\(.)/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c === '0' ? '\0' : c))
}
