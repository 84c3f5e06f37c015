/**
 * `sightline registry add-card <url|file>`: adds an A2A Agent Card to the fleet registry. The CLI
 * fetches the card (the server never fetches URLs its clients name), checks it against the A2A
 * schema (0.3 or 1.0) and only then sends it; a card that cannot be read or does not validate is
 * reported and nothing is sent, so nothing stored changes.
 */
import { readFile } from 'node:fs/promises'
import { parseArgs } from 'node:util'
import { RegisterCardResponseSchema, validateAgentCard } from '@sightline/schema'
import { EXIT, type Command, type Io } from '../command.js'

const HELP = `Usage: sightline registry add-card <url|file> [options]

Adds an A2A Agent Card (protocol 0.3 or 1.0) to the agent registry of the key's project. A URL is
fetched by this CLI (an agent's base URL is read at /.well-known/agent-card.json); a file is read
from disk. The card is checked against the A2A schema before it is sent. Sending the same card
again only updates when it was last seen; a changed card becomes a new revision.

Options:
  -u, --url <url>          Sightline server (default $SIGHTLINE_URL, else http://127.0.0.1:4318)
  -k, --api-key <key>      API key (default $SIGHTLINE_API_KEY)
      --timeout-ms <ms>    how long to wait for the card URL (default 10000)
      --json               print the server's answer as JSON

Exit codes: 0 added (or unchanged), 1 bad arguments or an invalid card (bad JSON, wrong schema),
2 the card URL or the server could not be reached, or the server refused the card.
`

class CardError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message)
  }
}

/** An agent's base URL means its well-known card. */
export function cardUrl(source: string): URL {
  const url = new URL(source)
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/.well-known/agent-card.json'
  return url
}

async function readCardText(source: string, timeoutMs: number): Promise<{ text: string; where: string }> {
  if (/^https?:\/\//i.test(source)) {
    const url = cardUrl(source)
    let res: Response
    try {
      res = await fetch(url, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'follow',
      })
    } catch (err) {
      const reason =
        (err as Error).name === 'TimeoutError'
          ? `no answer within ${timeoutMs} ms`
          : ((err as Error & { cause?: Error }).cause?.message ?? (err as Error).message)
      throw new CardError(`could not fetch the card from ${url.href}: ${reason}`, EXIT.HTTP)
    }
    if (!res.ok)
      throw new CardError(`could not fetch the card from ${url.href}: ${res.status} ${res.statusText}`, EXIT.HTTP)
    return { text: await res.text(), where: url.href }
  }
  try {
    return { text: await readFile(source, 'utf8'), where: source }
  } catch (err) {
    throw new CardError(
      `cannot read ${source}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      EXIT.USAGE,
    )
  }
}

async function addCard(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string', short: 'u' },
      'api-key': { type: 'string', short: 'k' },
      'timeout-ms': { type: 'string' },
      json: { type: 'boolean' },
    },
  })
  if (positionals.length !== 1)
    throw new CardError('give one card URL or file, e.g. sightline registry add-card http://127.0.0.1:7300', EXIT.USAGE)
  const timeoutMs = Number(values['timeout-ms'] ?? 10_000)
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
    throw new CardError('--timeout-ms must be a positive number', EXIT.USAGE)
  const { text, where } = await readCardText(positionals[0]!, timeoutMs)
  let card: unknown
  try {
    card = JSON.parse(text)
  } catch (err) {
    throw new CardError(`${where} is not JSON: ${(err as Error).message}`, EXIT.USAGE)
  }
  const checked = validateAgentCard(card)
  if (!checked.ok) throw new CardError(`${where}: ${checked.message}`, EXIT.USAGE)

  const server = (values.url ?? io.env.SIGHTLINE_URL ?? 'http://127.0.0.1:4318').replace(/\/+$/, '')
  const apiKey = values['api-key'] ?? io.env.SIGHTLINE_API_KEY
  let res: Response
  try {
    res = await fetch(`${server}/api/v1/registry/cards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: JSON.stringify({ card, source: 'cli', sourceUrl: where }),
    })
  } catch (err) {
    throw new CardError(
      `could not reach ${server}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`,
      EXIT.HTTP,
    )
  }
  const body: unknown = await res.json().catch(() => undefined)
  if (!res.ok) {
    const message =
      (body as { error?: { message?: string } } | undefined)?.error?.message ?? `${res.status} ${res.statusText}`
    throw new CardError(`the server refused the card: ${message}`, EXIT.HTTP)
  }
  const answer = RegisterCardResponseSchema.parse(body)
  if (values.json) io.stdout(`${JSON.stringify(answer, null, 2)}\n`)
  else
    io.stdout(
      `${answer.created ? 'added' : 'unchanged:'} ${answer.agent} revision ${answer.revision} ` +
        `(A2A ${answer.protocolVersion}, ${checked.summary.skills.length} skills) from ${where}\n`,
    )
  return EXIT.OK
}

export const registryCommand: Command = {
  name: 'registry',
  summary: 'add an A2A Agent Card to the agent registry (add-card <url|file>)',
  help: HELP,
  async run(argv, io) {
    const [sub, ...rest] = argv
    if (sub === undefined || sub === '-h' || sub === '--help' || rest.includes('--help') || rest.includes('-h')) {
      io.stdout(HELP)
      return sub === undefined ? EXIT.USAGE : EXIT.OK
    }
    if (sub !== 'add-card') {
      io.stderr(`sightline registry: unknown subcommand '${sub}'\n\n${HELP}`)
      return EXIT.USAGE
    }
    try {
      return await addCard(rest, io)
    } catch (err) {
      if (err instanceof CardError) {
        io.stderr(`sightline registry add-card: ${err.message}\n`)
        return err.exitCode
      }
      if (err instanceof TypeError && /option|argument/i.test(err.message)) {
        io.stderr(`sightline registry add-card: ${err.message}\n`)
        return EXIT.USAGE
      }
      throw err
    }
  },
}
