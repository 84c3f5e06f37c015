/**
 * The engine behind the front: chDB, in this process only (libchdb binds one data directory per
 * process). Every HTTP request gets a connection of its own, as every request to a server gets a
 * query context of its own: chDB keeps settings, the current database and temporary tables per
 * connection, so nothing one request sets is seen by the next (measured: a connection opens in
 * about 3 ms). Named HTTP sessions keep their connection (sessions.ts).
 *
 * Bound parameters go through chDB's native binding with their text unchanged. chDB's JavaScript
 * binder takes JS values and escapes strings again, so the text a client sends
 * (`['it\'s']`, `a\tb`) would be escaped twice; the native call hands it to the engine, which
 * parses it exactly as a server parses `param_*` (deserializeTextEscaped of the placeholder's
 * type). That call is not part of chDB's public API: chdb is pinned (3.4.0) and the front's tests
 * bind quotes, backslashes, tabs, arrays and NULL, so a change there fails loudly.
 */
import { createRequire } from 'node:module'
import path from 'node:path'
import { Session } from 'chdb'

interface NativeResult {
  bytes?: Uint8Array
  elapsed?: number
  rowsRead?: number
  bytesRead?: number
  rowsWritten?: number
  bytesWritten?: number
}

interface NativeBinding {
  QueryAsyncConnection(
    connection: unknown,
    sql: string,
    format: string,
    params?: Record<string, string>,
  ): Promise<NativeResult>
  InsertRawAsyncConnection(
    connection: unknown,
    prefix: string,
    data: Buffer,
    countLines: boolean,
  ): Promise<NativeResult>
}

const require = createRequire(import.meta.url)
const native = require(
  path.join(path.dirname(require.resolve('chdb/package.json')), 'dist/loader.js'),
).loadNative() as NativeBinding

export interface EngineResult {
  body: Uint8Array
  elapsedNs: number
  resultRows: number
  resultBytes: number
  writtenRows: number
  writtenBytes: number
}

/**
 * chDB's own binder runs parameterised queries one at a time across all connections: with this
 * libchdb, two running at once on different connections overwrite each other's values. The same
 * rule here, for the calls that bypass that binder.
 */
let paramChain: Promise<unknown> = Promise.resolve()

export class EngineConnection {
  constructor(private readonly session: Session) {}

  /** Runs one statement; `format` is the output format when the statement names none. */
  async query(sql: string, format: string, params: Record<string, string> = {}): Promise<EngineResult> {
    const connection = this.session.connection
    let raw: NativeResult
    if (Object.keys(params).length === 0) raw = await native.QueryAsyncConnection(connection, sql, format)
    else {
      const turn = paramChain.then(() => native.QueryAsyncConnection(connection, sql, format, params))
      paramChain = turn.catch(() => undefined)
      raw = await turn
    }
    return toResult(raw, false)
  }

  /** `INSERT … FORMAT X` and its rows as bytes, parsed by the engine (no copy into a JS string). */
  async insert(statement: string, data: Buffer): Promise<EngineResult> {
    return toResult(await native.InsertRawAsyncConnection(this.session.connection, statement, data, false), true)
  }

  /** A statement whose only output is its side effect (SET, USE). */
  async exec(sql: string): Promise<void> {
    await this.query(sql, 'TabSeparated')
  }

  async text(sql: string): Promise<string> {
    return Buffer.from((await this.query(sql, 'TabSeparated')).body).toString('utf8')
  }

  close(): void {
    this.session.close()
  }
}

function toResult(raw: NativeResult, isInsert: boolean): EngineResult {
  const body = raw.bytes ?? new Uint8Array(0)
  return {
    body,
    elapsedNs: Math.round((raw.elapsed ?? 0) * 1e9),
    // chDB reports the rows and bytes of the result (of the written block, for an insert).
    resultRows: isInsert ? 0 : (raw.rowsRead ?? 0),
    resultBytes: isInsert ? 0 : (raw.bytesRead ?? body.length),
    writtenRows: raw.rowsWritten ?? 0,
    writtenBytes: raw.bytesWritten ?? 0,
  }
}

export class Engine {
  private constructor(
    private readonly dataDir: string,
    /** Held open for the process's life, so the engine is not torn down between requests. */
    private readonly anchor: EngineConnection,
    readonly version: string,
    readonly timezone: string,
  ) {}

  static async open(dataDir: string): Promise<Engine> {
    const anchor = new EngineConnection(new Session(dataDir))
    const [version = '', timezone = ''] = (await anchor.text('SELECT version(), timezone()')).trim().split('\t')
    return new Engine(dataDir, anchor, version, timezone)
  }

  connect(): EngineConnection {
    return new EngineConnection(new Session(this.dataDir))
  }

  close(): void {
    this.anchor.close()
  }
}
