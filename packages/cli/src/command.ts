/** What every `sightline <command>` module exports, so the dispatcher stays a lookup table. */

export interface Io {
  stdout(text: string): void
  stderr(text: string): void
  env: Record<string, string | undefined>
}

export interface Command {
  name: string
  /** One line for `sightline --help`. */
  summary: string
  /** Full `sightline <name> --help` text. */
  help: string
  /** Returns the process exit code. */
  run(argv: string[], io: Io): Promise<number>
}

/** Exit codes shared by all commands. */
export const EXIT = { OK: 0, USAGE: 1, HTTP: 2 } as const

export const processIo = (): Io => ({
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
})
