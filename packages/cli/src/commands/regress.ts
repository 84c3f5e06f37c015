/**
 * `sightline regress run | serve-world | pull`: replay regression cases against a live agent in the
 * incident's recorded world and gate CI on the verdict.
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import type { Command, Io } from '../command.js'
import { combinedVerdict, exitCodeFor, REGRESS_EXIT } from '../regress/exit-codes.js'
import { jsonReport, junitXml } from '../regress/reports.js'
import { markResourceAttributes } from '../regress/run-marker.js'
import { parseCase, runCase, type CaseResult, type RunCaseOptions } from '../regress/runner.js'
import { SightlineApi } from '../regress/sightline-api.js'
import { startWorld } from '../regress/world.js'
import { DEFAULT_URL } from './import.js'

const HELP = `Usage: sightline regress <subcommand> [options]

Replays regression cases (exported from failed traces) against a live agent, in the incident's
recorded world, and gates CI on the result.

  sightline regress run <case.json|dir>... (--target <url> | --agent-cmd "<command>") [options]
  sightline regress serve-world <case.json> [--port <N>]
  sightline regress pull --suite <name> --out <dir> [--url <url>] [--api-key <key>]

run options:
  -t, --target <url>        the agent: A2A base URL (its card is at /.well-known/agent-card.json), or the
                            endpoint for --protocol http. Optional with --agent-cmd (then a free port is
                            picked and passed to the command as PORT, and the target is http://127.0.0.1:PORT)
      --agent-cmd "<cmd>"   start the agent with this shell command, its env extended with the world's URLs
                            (replay.env of the case, e.g. MCP_URL=..., RESEARCHER_URL=...),
                            SIGHTLINE_REGRESSION_CASE, and OTEL_RESOURCE_ATTRIBUTES marking its traffic as a
                            replay (sightline.regress.run_id, sightline.regress.case_id: kept out of production
                            numbers, listed with regression=true); stopped after the case. One fresh agent per case
  -p, --protocol <p>        a2a-1.0 (JSON-RPC SendMessage) | a2a-0.3 (JSON-RPC message/send) | http
                            (POST {"input": text} -> {"output": text}). Default: the case's agent.protocol
  -u, --sightline-url <url> Sightline server the agent exports to; each run's trace is read back from it.
                            Default: $SIGHTLINE_URL, else ${DEFAULT_URL}
  -k, --api-key <key>       Default: $SIGHTLINE_API_KEY
  -n, --runs <N>            runs per case (default: the case's policy.runs); the pass rule decides
      --timeout <S>         seconds per run for the answer and the trace (default: policy.timeoutSeconds)
      --expect-release <X>  score only release X (agent card version or service.version); otherwise exit 3
      --world-port <N>      serve the world on fixed ports N, N+1, ... (as serve-world does) instead of free ones
      --no-world            start no replay servers: the agent already points at a serve-world
      --no-report           do not POST the runs to Sightline
      --junit <file>        write a JUnit XML report
      --json <file>         write a JSON report
  -h, --help                show this help

Every request carries a fresh W3C traceparent; the runner reads that trace back from Sightline
(GET /api/v1/traces/{id}, polled until it stops growing), evaluates the case's assertions, and
reports the run (POST /api/v1/regression-cases/{id}/runs). The A2A message metadata also carries
"sightline.regression": {caseId, runId, world: {MCP_URL, ...}} for agents that switch per request.

serve-world: starts the MCP replay server and A2A stub agents of a case and prints their URLs as
env lines (MCP on --port, stubs on --port+1... in env-name order; free ports without --port), plus the
OTEL_RESOURCE_ATTRIBUTES that mark the agent's traffic as a replay, then serves until interrupted.
Start your agent with those variables and use run --no-world.

pull: writes every case of a suite to <dir>/<case-id>.json.

Exit codes (run): 0 pass; 1 regression; 2 harness or configuration error (bad case file, agent or
Sightline unreachable); 3 unverifiable (the agent is not --expect-release, or its trace never arrived).
With several cases: 1 if any regressed, else 2, else 3, else 0. 2 and 3 never count as a pass.
`

async function loadCases(inputs: string[]): Promise<{ file: string; raw: unknown }[]> {
  const files: string[] = []
  for (const input of inputs) {
    const stat = await fs.stat(input)
    if (stat.isDirectory()) {
      for (const name of (await fs.readdir(input)).sort())
        if (name.endsWith('.json')) files.push(path.join(input, name))
    } else files.push(input)
  }
  if (files.length === 0) throw new Error(`no case files (*.json) in ${inputs.join(', ')}`)
  return Promise.all(
    files.map(async (file) => {
      try {
        return { file, raw: JSON.parse(await fs.readFile(file, 'utf8')) as unknown }
      } catch (err) {
        throw new Error(`${file}: ${(err as Error).message}`)
      }
    }),
  )
}

async function run(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      target: { type: 'string', short: 't' },
      'agent-cmd': { type: 'string' },
      protocol: { type: 'string', short: 'p' },
      'sightline-url': { type: 'string', short: 'u' },
      'api-key': { type: 'string', short: 'k' },
      runs: { type: 'string', short: 'n' },
      timeout: { type: 'string' },
      'expect-release': { type: 'string' },
      'world-port': { type: 'string' },
      'no-world': { type: 'boolean' },
      'no-report': { type: 'boolean' },
      junit: { type: 'string' },
      json: { type: 'string' },
    },
  })
  const protocol = values.protocol
  if (protocol !== undefined && !['a2a-0.3', 'a2a-1.0', 'http'].includes(protocol))
    throw new Error(`--protocol must be a2a-0.3, a2a-1.0 or http, not ${protocol}`)
  const int = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined
    const n = Number(v)
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`)
    return n
  }
  if (positionals.length === 0) throw new Error('give a case file or a directory of case files')
  if (!values.target && !values['agent-cmd']) throw new Error('give --target <agent url> or --agent-cmd "<command>"')
  const options: RunCaseOptions = {
    target: values.target,
    agentCmd: values['agent-cmd'],
    protocol: protocol as RunCaseOptions['protocol'],
    sightlineUrl: values['sightline-url'] ?? io.env.SIGHTLINE_URL ?? DEFAULT_URL,
    apiKey: values['api-key'] ?? io.env.SIGHTLINE_API_KEY,
    runs: int('runs', values.runs),
    timeoutSeconds: int('timeout', values.timeout),
    expectRelease: values['expect-release'],
    worldPort: int('world-port', values['world-port']),
    noWorld: values['no-world'] ?? false,
    report: !values['no-report'],
    log: (line) => io.stderr(`  ${line}\n`),
  }
  const cases = await loadCases(positionals)
  const results: CaseResult[] = []
  for (const { file, raw } of cases) {
    io.stderr(`${file}\n`)
    const result = await runCase(raw, options)
    results.push(result)
    io.stdout(`${result.summary}\n`)
  }
  const verdict = combinedVerdict(results.map((r) => r.verdict))
  const exitCode = exitCodeFor(verdict)
  if (values.junit) await fs.writeFile(values.junit, junitXml(results))
  if (values.json) await fs.writeFile(values.json, jsonReport(results, verdict, exitCode))
  io.stdout(`verdict: ${verdict} (exit ${exitCode})\n`)
  return exitCode
}

async function serveWorld(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { port: { type: 'string' } },
  })
  if (positionals.length !== 1) throw new Error('give exactly one case file')
  const [first] = await loadCases(positionals)
  const rc = parseCase(first?.raw)
  const world = await startWorld(rc, values.port ? { port: Number(values.port) } : {})
  for (const [name, url] of Object.entries(world.env)) io.stdout(`${name}=${url}\n`)
  const mark = { runId: randomBytes(8).toString('hex'), caseId: rc.id }
  io.stdout(`OTEL_RESOURCE_ATTRIBUTES=${markResourceAttributes(io.env.OTEL_RESOURCE_ATTRIBUTES, mark)}\n`)
  io.stderr(`serving the recorded world of ${rc.id}; Ctrl-C to stop\n`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await world.close()
  return REGRESS_EXIT.PASS
}

async function pull(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      suite: { type: 'string' },
      out: { type: 'string' },
      url: { type: 'string', short: 'u' },
      'api-key': { type: 'string', short: 'k' },
    },
  })
  if (!values.suite || !values.out) throw new Error('give --suite <name> and --out <dir>')
  const api = new SightlineApi(
    values.url ?? io.env.SIGHTLINE_URL ?? DEFAULT_URL,
    values['api-key'] ?? io.env.SIGHTLINE_API_KEY,
  )
  await fs.mkdir(values.out, { recursive: true })
  const cases = await api.listCases(values.suite)
  for (const { id } of cases)
    await fs.writeFile(path.join(values.out, `${id}.json`), `${JSON.stringify(await api.getCase(id), null, 2)}\n`)
  io.stdout(`pulled ${cases.length} case(s) of suite ${values.suite} into ${values.out}\n`)
  return REGRESS_EXIT.PASS
}

const SUBCOMMANDS: Record<string, (argv: string[], io: Io) => Promise<number>> = {
  run,
  'serve-world': serveWorld,
  pull,
}

export const regressCommand: Command = {
  name: 'regress',
  summary: 'replay regression cases against a live agent in the recorded world; gate CI',
  help: HELP,
  async run(argv, io) {
    const [sub, ...rest] = argv
    if (sub === undefined || sub === '-h' || sub === '--help' || rest.includes('--help') || rest.includes('-h')) {
      io.stdout(HELP)
      return sub === undefined ? REGRESS_EXIT.HARNESS_ERROR : REGRESS_EXIT.PASS
    }
    const handler = SUBCOMMANDS[sub]
    if (!handler) {
      io.stderr(`sightline regress: unknown subcommand '${sub}'\n\n${HELP}`)
      return REGRESS_EXIT.HARNESS_ERROR
    }
    try {
      return await handler(rest, io)
    } catch (err) {
      io.stderr(`sightline regress ${sub}: ${(err as Error).message}\n`)
      return REGRESS_EXIT.HARNESS_ERROR
    }
  },
}
