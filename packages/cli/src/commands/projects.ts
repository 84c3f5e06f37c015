/** `sightline projects create|list`: projects on a Sightline server, through its admin API. */
import { parseArgs } from 'node:util'
import { EXIT, type Command, type Io } from '../command.js'
import { ADMIN_OPTIONS, ADMIN_OPTIONS_HELP, adminClient, runAdmin, table, UsageError } from '../admin/admin-options.js'

const HELP = `Usage: sightline projects <subcommand> [options]

Manages the projects of a Sightline server through its admin API (the server must run with
SIGHTLINE_ADMIN_KEY set).

  sightline projects create <name> [--id <id>]   create a project; prints its id and its first API
                                                 key, shown this once (the server keeps only a hash)
  sightline projects list                        every project: id, name, active keys, created

${ADMIN_OPTIONS_HELP}
`

async function create(argv: string[], io: Io): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...ADMIN_OPTIONS, id: { type: 'string' } },
  })
  if (positionals.length !== 1)
    throw new UsageError('give the project name, e.g. sightline projects create "Checkout team"')
  const created = await adminClient(values, io).createProject({
    name: positionals[0]!,
    ...(values.id ? { id: values.id } : {}),
  })
  if (values.json) return void io.stdout(`${JSON.stringify(created, null, 2)}\n`)
  io.stdout(`created project ${created.project.id} (${created.project.name})\n`)
  io.stdout(`key ${created.key.id} (${created.key.name}); the key is shown once, store it now:\n${created.apiKey}\n`)
}

async function list(argv: string[], io: Io): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: ADMIN_OPTIONS })
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`)
  const { projects } = await adminClient(values, io).listProjects()
  if (values.json) return void io.stdout(`${JSON.stringify({ projects }, null, 2)}\n`)
  io.stdout(
    table(
      ['ID', 'NAME', 'ACTIVE KEYS', 'CREATED'],
      projects.map((p) => [p.id, p.name, String(p.activeKeys), p.createdAt]),
    ),
  )
}

const SUBCOMMANDS: Record<string, (argv: string[], io: Io) => Promise<void>> = { create, list }

export const projectsCommand: Command = {
  name: 'projects',
  summary: 'create and list projects (admin API, needs SIGHTLINE_ADMIN_KEY)',
  help: HELP,
  async run(argv, io) {
    const [sub, ...rest] = argv
    if (sub === undefined || sub === '-h' || sub === '--help' || rest.includes('--help') || rest.includes('-h')) {
      io.stdout(HELP)
      return sub === undefined ? EXIT.USAGE : EXIT.OK
    }
    const handler = SUBCOMMANDS[sub]
    if (!handler) {
      io.stderr(`sightline projects: unknown subcommand '${sub}'\n\n${HELP}`)
      return EXIT.USAGE
    }
    return runAdmin(`projects ${sub}`, io, () => handler(rest, io))
  },
}
