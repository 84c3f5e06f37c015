/**
 * What every `sightline projects|keys` subcommand shares: where the server is, the admin key,
 * `--json`, and how failures map to exit codes (1: usage or configuration, 2: the server refused or
 * could not be reached).
 */
import type { ParseArgsConfig } from 'node:util'
import { EXIT, type Io } from '../command.js'
import { DEFAULT_URL } from '../commands/import.js'
import { AdminClient, AdminError } from './admin-client.js'

export const ADMIN_OPTIONS = {
  url: { type: 'string', short: 'u' },
  'admin-key': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options']

export const ADMIN_OPTIONS_HELP = `Common options:
  -u, --url <url>        server base URL. Default: $SIGHTLINE_URL, else ${DEFAULT_URL}
      --admin-key <key>  the server's SIGHTLINE_ADMIN_KEY. Default: $SIGHTLINE_ADMIN_KEY
                         (prefer the variable: flags show up in shell history and ps)
      --json             print the server's JSON answer instead of text
  -h, --help             show this help

Exit codes: 0 ok; 1 bad arguments or no admin key; 2 the server refused (its message is
printed: wrong admin key, admin API off, unknown project or key) or could not be reached.`

/** A usage or configuration problem (exit 1), as opposed to a refusal by the server (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError'
}

export function adminClient(values: { url?: string; 'admin-key'?: string }, io: Io): AdminClient {
  const url = values.url ?? io.env['SIGHTLINE_URL'] ?? DEFAULT_URL
  if (!/^https?:\/\/[^/]/.test(url)) throw new UsageError(`--url must be an http(s) URL, not ${url}`)
  const adminKey = values['admin-key'] ?? io.env['SIGHTLINE_ADMIN_KEY']
  if (!adminKey) throw new UsageError("no admin key: set SIGHTLINE_ADMIN_KEY (the server's value) or pass --admin-key")
  return new AdminClient(url, adminKey)
}

/** Runs one subcommand and turns its failure into a message on stderr and an exit code. */
export async function runAdmin(command: string, io: Io, run: () => Promise<void>): Promise<number> {
  try {
    await run()
    return EXIT.OK
  } catch (error) {
    const isServer = error instanceof AdminError
    const isUsage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
    io.stderr(
      `sightline ${command}: ${(error as Error).message}\n${
        isUsage ? `Run \`sightline ${command.split(' ')[0]} --help\` for usage.\n` : ''
      }`,
    )
    return isServer ? EXIT.HTTP : EXIT.USAGE
  }
}

/** Left-aligned columns, for lists read by people (`--json` is for scripts). */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')
  return `${[line(header), ...rows.map(line)].join('\n')}\n`
}
