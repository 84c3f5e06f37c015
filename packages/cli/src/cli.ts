/**
 * `sightline` dispatcher: the first argument names a command in COMMANDS, the rest is that
 * command's. Commands load lazily so `sightline --help` stays fast; a new command is one module in
 * `commands/` plus one line here.
 */
import { EXIT, type Command, type Io } from './command.js'

const COMMANDS: Record<string, () => Promise<Command>> = {
  import: async () => (await import('./commands/import.js')).importCommand,
  regress: async () => (await import('./commands/regress.js')).regressCommand,
  eval: async () => (await import('./commands/eval.js')).evalCommand,
  projects: async () => (await import('./commands/projects.js')).projectsCommand,
  keys: async () => (await import('./commands/keys.js')).keysCommand,
  registry: async () => (await import('./commands/registry.js')).registryCommand,
}

async function usage(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()))
  const width = Math.max(...commands.map((c) => c.name.length))
  return [
    'Usage: sightline <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    "  -h, --help     show this help, or a command's help with `sightline <command> --help`",
    '  -v, --version  print the CLI version',
    '',
    'Environment:',
    '  SIGHTLINE_URL        default server URL (http://127.0.0.1:4318)',
    '  SIGHTLINE_API_KEY    default API key',
    "  SIGHTLINE_ADMIN_KEY  the server's admin key (projects, keys)",
    '',
  ].join('\n')
}

export const VERSION = '0.1.0'

/** Programmatic API of the regression runner (used by generated Vitest files). */
export { runCase, parseCase, type CaseResult, type RunCaseOptions, type RunResult } from './regress/runner.js'
export { startWorld, type World } from './regress/world.js'
export { exitCodeFor, REGRESS_EXIT } from './regress/exit-codes.js'
export { junitXml } from './regress/reports.js'
export { generateVitestFile } from '@sightline/core'

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') {
    io.stdout(await usage())
    return name === undefined ? EXIT.USAGE : EXIT.OK
  }
  if (name === '-v' || name === '--version') {
    io.stdout(`${VERSION}\n`)
    return EXIT.OK
  }
  const load = COMMANDS[name]
  if (!load) {
    io.stderr(`sightline: unknown command '${name}'\n\n${await usage()}`)
    return EXIT.USAGE
  }
  return (await load()).run(rest, io)
}
