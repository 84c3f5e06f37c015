/** `sightline keys create|list|revoke`: a project's API keys, through the server's admin API. */
import { parseArgs } from 'node:util'
import { EXIT, type Command, type Io } from '../command.js'
import { ADMIN_OPTIONS, ADMIN_OPTIONS_HELP, adminClient, runAdmin, table, UsageError } from '../admin/admin-options.js'

const HELP = `Usage: sightline keys <subcommand> [options]

Manages API keys through the admin API (the server must run with SIGHTLINE_ADMIN_KEY set).

  sightline keys create --project <id> [--name <name>]   new key for the project; the key is
                                                         printed this once (the server keeps a hash)
  sightline keys list --project <id>                     id, prefix, name, created, revoked
  sightline keys revoke <keyId>                          revoke at once: the key gets 401 on its
                                                         next request, and console sessions signed
                                                         in with it lose the project

Rotating a key: create the new one, deploy it, then revoke the old one by id.

${ADMIN_OPTIONS_HELP}
`

const PROJECT = { project: { type: 'string', short: 'p' } } as const

function requireProject(project: string | undefined): string {
  if (!project) throw new UsageError('give --project <id> (`sightline projects list` shows the ids)')
  return project
}

async function create(argv: string[], io: Io): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...ADMIN_OPTIONS, ...PROJECT, name: { type: 'string', short: 'n' } },
  })
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`)
  const created = await adminClient(values, io).createKey(requireProject(values.project), values.name)
  if (values.json) return void io.stdout(`${JSON.stringify(created, null, 2)}\n`)
  io.stdout(
    `created key ${created.key.id} (${created.key.name}) for project ${created.key.projectId}; shown once, ` +
      `store it now:\n${created.apiKey}\n`,
  )
}

async function list(argv: string[], io: Io): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...ADMIN_OPTIONS, ...PROJECT },
  })
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`)
  const { keys } = await adminClient(values, io).listKeys(requireProject(values.project))
  if (values.json) return void io.stdout(`${JSON.stringify({ keys }, null, 2)}\n`)
  io.stdout(
    table(
      ['ID', 'PREFIX', 'NAME', 'CREATED', 'REVOKED'],
      keys.map((k) => [k.id, `${k.prefix}…`, k.name, k.createdAt, k.revoked ? (k.revokedAt ?? 'yes') : 'no']),
    ),
  )
}

async function revoke(argv: string[], io: Io): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: ADMIN_OPTIONS })
  if (positionals.length !== 1)
    throw new UsageError(
      'give the key id, e.g. sightline keys revoke k_0123456789abcdef (`sightline keys list` shows them)',
    )
  const { key } = await adminClient(values, io).revokeKey(positionals[0]!)
  if (values.json) return void io.stdout(`${JSON.stringify({ key }, null, 2)}\n`)
  io.stdout(`revoked key ${key.id} (${key.name}) of project ${key.projectId}\n`)
}

const SUBCOMMANDS: Record<string, (argv: string[], io: Io) => Promise<void>> = { create, list, revoke }

export const keysCommand: Command = {
  name: 'keys',
  summary: 'create, list and revoke API keys (admin API, needs SIGHTLINE_ADMIN_KEY)',
  help: HELP,
  async run(argv, io) {
    const [sub, ...rest] = argv
    if (sub === undefined || sub === '-h' || sub === '--help' || rest.includes('--help') || rest.includes('-h')) {
      io.stdout(HELP)
      return sub === undefined ? EXIT.USAGE : EXIT.OK
    }
    const handler = SUBCOMMANDS[sub]
    if (!handler) {
      io.stderr(`sightline keys: unknown subcommand '${sub}'\n\n${HELP}`)
      return EXIT.USAGE
    }
    return runAdmin(`keys ${sub}`, io, () => handler(rest, io))
  },
}
