/**
 * `sightline import <file...>`: converts agent run logs (tau-bench, SWE-agent, OpenHands) into
 * OTLP spans with GenAI conventions and sends them to a Sightline server, or prints them.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { z } from 'zod'
import { EXIT, type Command, type Io } from '../command.js'
import { CONVERTERS, detectFormat, parseRunFile } from '../import/detect.js'
import { HttpError, MAX_SPANS, sendRequest } from '../import/send.js'
import { formatSummary, summarize, type ImportSummary } from '../import/summary.js'
import { FORMATS, type Format } from '../import/types.js'

export const DEFAULT_URL = 'http://127.0.0.1:4318'

const HELP = `Usage: sightline import <file...> [options]

Converts agent run logs into OpenTelemetry traces (GenAI conventions: invoke_agent -> chat +
execute_tool spans) and POSTs them to a Sightline server's /v1/traces. Ids are derived from the
file name and position, so importing the same file again updates the same traces instead of
adding copies.

Options:
  -f, --format <name>   tau-bench | swe-agent | openhands. Default: detected from each file.
  -u, --url <url>       server base URL. Default: $SIGHTLINE_URL, else ${DEFAULT_URL}
  -k, --api-key <key>   sent as "Authorization: Bearer <key>". Default: $SIGHTLINE_API_KEY
  -n, --limit <N>       import only the first N runs of each file (a tau-bench file holds 200 runs:
                        one per task and trial; an OpenHands output.jsonl one per line)
      --start <time>    ISO time the synthesised timestamps start from (tau-bench, SWE-agent,
                        older OpenHands files without timestamps). Default: 2024-01-01T00:00:00Z.
                        Files with real timestamps ignore it.
      --dry-run         print the OTLP/JSON request of each file to stdout (one line per file) and
                        the summaries to stderr; send nothing
  -h, --help            show this help

Requests carry at most ${MAX_SPANS} spans or 4 MiB each. Prints one summary line per file.
Exit codes: 0 ok, 1 bad arguments or unreadable file, 2 the server refused a request (its
message is shown) or could not be reached.
`

const OptionsSchema = z.object({
  files: z.array(z.string()).min(1, 'give at least one file'),
  format: z.enum(FORMATS).optional(),
  url: z.url({ message: 'must be an http(s) URL' }),
  apiKey: z.string().optional(),
  limit: z.coerce.number().int().positive().optional(),
  start: z.iso.datetime({ offset: true, message: 'must be an ISO time such as 2024-01-01T00:00:00Z' }).optional(),
  dryRun: z.boolean(),
})
export type ImportOptions = z.infer<typeof OptionsSchema>

export interface FileResult {
  file: string
  format: Format
  summary: ImportSummary
}

export const importCommand: Command = {
  name: 'import',
  summary: 'convert tau-bench / SWE-agent / OpenHands run logs to traces and send them',
  help: HELP,
  async run(argv, io) {
    const options = parseOptions(argv, io)
    if (options === 'help') {
      io.stdout(HELP)
      return EXIT.OK
    }
    if (!options) return EXIT.USAGE
    try {
      await runImport(options, io)
      return EXIT.OK
    } catch (error) {
      if (error instanceof HttpError) {
        io.stderr(`sightline import: ${error.message}\n`)
        return EXIT.HTTP
      }
      io.stderr(`sightline import: ${(error as Error).message}\n`)
      return EXIT.USAGE
    }
  },
}

function parseOptions(argv: string[], io: Io): ImportOptions | 'help' | undefined {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', short: 'f' },
        url: { type: 'string', short: 'u' },
        'api-key': { type: 'string', short: 'k' },
        limit: { type: 'string', short: 'n' },
        start: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    })
  } catch (error) {
    io.stderr(`sightline import: ${(error as Error).message}\n\n${HELP}`)
    return undefined
  }
  if (parsed.values.help) return 'help'
  const result = OptionsSchema.safeParse({
    files: parsed.positionals,
    format: parsed.values.format,
    url: parsed.values.url ?? io.env['SIGHTLINE_URL'] ?? DEFAULT_URL,
    apiKey: parsed.values['api-key'] ?? io.env['SIGHTLINE_API_KEY'],
    limit: parsed.values.limit,
    start: parsed.values.start,
    dryRun: parsed.values['dry-run'],
  })
  if (result.success) return result.data
  const lines = result.error.issues.map((issue) => `  --${String(issue.path[0] ?? 'files')}: ${issue.message}`)
  io.stderr(`sightline import: invalid arguments:\n${lines.join('\n')}\n\nRun \`sightline import --help\` for usage.\n`)
  return undefined
}

/** Converts and sends (or prints) each file in turn; throws on the first failure. */
export async function runImport(options: ImportOptions, io: Io): Promise<FileResult[]> {
  const results: FileResult[] = []
  for (const file of options.files) {
    const fileName = path.basename(file)
    const data = parseRunFile(await readFile(file), fileName)
    const format = options.format ?? detectFormat(data, fileName)
    if (!format) throw new Error(`${file}: cannot tell the format; pass --format ${FORMATS.join('|')}`)
    const request = CONVERTERS[format](data, {
      fileName,
      ...(options.limit === undefined ? {} : { limit: options.limit }),
      ...(options.start === undefined ? {} : { baseTimeMs: Date.parse(options.start) }),
    })
    const summary = summarize(request)
    if (options.dryRun) {
      io.stdout(`${JSON.stringify(request)}\n`)
      io.stderr(`${formatSummary(file, summary)} (dry run, not sent)\n`)
    } else {
      const sent = await sendRequest(request, options.url, options.apiKey)
      io.stdout(`${formatSummary(file, summary)}, ${sent.requests} request(s)\n`)
      if (sent.rejectedSpans > 0) {
        io.stderr(`  server rejected ${sent.rejectedSpans} span(s): ${sent.rejectionMessages.join('; ')}\n`)
      }
    }
    results.push({ file, format, summary })
  }
  return results
}

async function readFile(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8')
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
}
