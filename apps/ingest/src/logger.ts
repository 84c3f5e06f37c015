/** Structured JSON lines on stdout; small on purpose (one process, no log shipping of its own). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void
  info(message: string, fields?: Record<string, unknown>): void
  warn(message: string, fields?: Record<string, unknown>): void
  error(message: string, fields?: Record<string, unknown>): void
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

export function createLogger(level: LogLevel, write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const log = (at: Exclude<LogLevel, 'silent'>) => (message: string, fields?: Record<string, unknown>) => {
    if (rank[at] < rank[level]) return
    const err =
      fields?.err instanceof Error
        ? { err: { name: fields.err.name, message: fields.err.message, stack: fields.err.stack } }
        : {}
    write(`${JSON.stringify({ time: new Date().toISOString(), level: at, message, ...fields, ...err })}\n`)
  }
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
}
