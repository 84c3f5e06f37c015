/**
 * `sightline eval run --suite <name> [--threshold metric>=x]...`: the evaluation gate over a suite
 * of regression cases, replayed in their recorded worlds against the agent under test.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { parseThreshold, type Threshold } from '@sightline/core'
import type { RegressionCase } from '@sightline/schema'
import type { Command, Io } from '../command.js'
import { EvalApi } from '../eval/eval-api.js'
import { runGate } from '../eval/gate-run.js'
import { gateJsonReport, gateJunitXml } from '../eval/reports.js'
import { REGRESS_EXIT } from '../regress/exit-codes.js'
import { parseCase, type RunCaseOptions } from '../regress/runner.js'
import { DEFAULT_URL } from './import.js'

const HELP = [
  `Usage: sightline eval run --suite <name> (--agent-cmd "<command>" | --target <url>) [options]`,
  ``,
  `The evaluation gate: replays every case of a suite (pulled from Sightline, or --cases) against the`,
  `agent in its recorded world (MCP replay, A2A stubs), measures each run, and judges the suite:`,
  ``,
  `  pass_rate             share of case runs that passed their blocking assertions`,
  `  trajectory_exact      the run's steps are the expected trajectory, nothing else`,
  `  trajectory_in_order   every expected step, in order (extras allowed)`,
  `  trajectory_any_order  every expected step, any order`,
  `  trajectory_precision  run steps that match an expected step / run steps`,
  `  trajectory_recall     expected steps matched / expected steps`,
  `  final_match           share of the case's output assertions that held`,
  ``,
  `Each metric is a mean over the case runs with a 95 % interval (Wilson for 0/1 metrics, Student t`,
  `otherwise); thresholds compare the mean. Against the last accepted release of the suite (its latest`,
  `passed gate run), a significant drop (p < 0.05, interval below 0) is a regression too.`,
  ``,
  `Options:`,
  `      --suite <name>            the suite (also the name results are reported under)`,
  `      --cases <dir|file>        run these case files instead of pulling the suite`,
  `      --threshold <m><op><x>    e.g. 'trajectory_in_order>=0.9' (quoted: > is a shell redirect; repeatable; ` +
    `ops >= > <= <)`,
  `      --baseline auto|none      compare with the last accepted release (default auto)`,
  `  -t, --target <url>            the agent (see sightline regress run)`,
  `      --agent-cmd "<cmd>"       start the agent with the world's URLs in its env (one per case)`,
  `  -p, --protocol <p>            a2a-1.0 | a2a-0.3 | http (default: each case's)`,
  `  -u, --sightline-url <url>     Default: $SIGHTLINE_URL, else ${DEFAULT_URL}`,
  `  -k, --api-key <key>           Default: $SIGHTLINE_API_KEY`,
  `  -n, --runs <N>                runs per case (default: each case's policy.runs)`,
  `      --timeout <S>             seconds per run`,
  `      --expect-release <X>      score only release X; anything else is unverifiable (exit 3)`,
  `      --no-report               send no ci scores and no gate report to Sightline`,
  `      --junit <file>            JUnit XML report`,
  `      --json <file>             JSON report (the gate report)`,
  ``,
  `Exit codes: 0 the gate passed; 1 regression (a threshold missed, or a significant drop against the`,
  `accepted release); 2 harness or configuration error (a case could not be run: agent or Sightline`,
  `unreachable, bad case or threshold); 3 unverifiable (wrong release, or a run's trace never arrived).`,
  `A suite that could not be run completely is not judged: 2 and 3 win over 1 and never count as a pass.`,
  ``,
].join('\n')

async function caseFiles(input: string): Promise<RegressionCase[]> {
  const stat = await fs.stat(input)
  const files = stat.isDirectory()
    ? (await fs.readdir(input))
        .filter((n) => n.endsWith('.json'))
        .sort()
        .map((n) => path.join(input, n))
    : [input]
  return Promise.all(
    files.map(async (file) => {
      try {
        return parseCase(JSON.parse(await fs.readFile(file, 'utf8')))
      } catch (err) {
        throw new Error(`${file}: ${(err as Error).message}`)
      }
    }),
  )
}

async function run(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      suite: { type: 'string' },
      cases: { type: 'string' },
      threshold: { type: 'string', multiple: true },
      baseline: { type: 'string' },
      target: { type: 'string', short: 't' },
      'agent-cmd': { type: 'string' },
      protocol: { type: 'string', short: 'p' },
      'sightline-url': { type: 'string', short: 'u' },
      'api-key': { type: 'string', short: 'k' },
      runs: { type: 'string', short: 'n' },
      timeout: { type: 'string' },
      'expect-release': { type: 'string' },
      'no-report': { type: 'boolean' },
      junit: { type: 'string' },
      json: { type: 'string' },
    },
  })
  if (!values.suite) throw new Error('give --suite <name>')
  if (!values.target && !values['agent-cmd']) throw new Error('give --target <agent url> or --agent-cmd "<command>"')
  const thresholds: Threshold[] = (values.threshold ?? []).map((text) => {
    const t = parseThreshold(text)
    if (typeof t === 'string') throw new Error(t)
    return t
  })
  const baseline = values.baseline ?? 'auto'
  if (baseline !== 'auto' && baseline !== 'none') throw new Error('--baseline is auto or none')
  const positive = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined
    const n = Number(v)
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number`)
    return n
  }
  const protocol = values.protocol
  if (protocol !== undefined && !['a2a-0.3', 'a2a-1.0', 'http'].includes(protocol))
    throw new Error(`--protocol must be a2a-0.3, a2a-1.0 or http, not ${protocol}`)
  const sightlineUrl = values['sightline-url'] ?? io.env.SIGHTLINE_URL ?? DEFAULT_URL
  const apiKey = values['api-key'] ?? io.env.SIGHTLINE_API_KEY
  const api = new EvalApi(sightlineUrl, apiKey)
  const cases = values.cases ? await caseFiles(values.cases) : await api.suiteCases(values.suite)
  if (cases.length === 0) throw new Error(`suite ${values.suite} has no cases`)
  const runOptions: RunCaseOptions = {
    target: values.target,
    agentCmd: values['agent-cmd'],
    protocol: protocol as RunCaseOptions['protocol'],
    sightlineUrl,
    apiKey,
    runs: positive('runs', values.runs),
    timeoutSeconds: positive('timeout', values.timeout),
    expectRelease: values['expect-release'],
    report: !values['no-report'],
    log: (line) => io.stderr(`    ${line}\n`),
  }
  const result = await runGate({
    suite: values.suite,
    cases,
    thresholds,
    baseline,
    runOptions,
    api,
    report: !values['no-report'],
    log: (line) => io.stderr(`  ${line}\n`),
  })
  for (const c of result.caseResults) io.stdout(`${c.summary}\n`)
  for (const m of result.report.metrics)
    io.stdout(
      `${m.metric}: ${m.mean === null ? 'n/a' : m.mean.toFixed(3)} (95% ` +
        `CI ${m.ciLow?.toFixed(3) ?? 'n/a'}–${m.ciHigh?.toFixed(3) ?? 'n/a'}, n=${m.n})\n`,
    )
  for (const t of result.report.thresholds)
    io.stdout(
      `threshold ${t.metric}${t.op}${t.value}: ${t.passed ? 'met' : 'MISSED'} ` +
        `(${t.actual === null ? 'not measured' : t.actual.toFixed(3)})\n`,
    )
  for (const c of result.report.baseline?.comparisons ?? [])
    io.stdout(
      `vs accepted ${result.report.baseline!.release}: ${c.metric} ${c.diff === null ? 'n/a' : c.diff.toFixed(3)} ` +
        `(p ${c.pValue === null ? 'n/a' : c.pValue.toFixed(3)})${c.regressed ? ' REGRESSED' : ''}\n`,
    )
  for (const w of result.warnings) io.stderr(`warning: ${w}\n`)
  if (values.junit) await fs.writeFile(values.junit, gateJunitXml(result.report))
  if (values.json) await fs.writeFile(values.json, gateJsonReport(result.report))
  io.stdout(`${result.report.summary} (exit ${result.exitCode})\n`)
  return result.exitCode
}

export const evalCommand: Command = {
  name: 'eval',
  summary: 'the evaluation gate: run a suite, judge its metrics against thresholds and the accepted release',
  help: HELP,
  async run(argv, io) {
    const [sub, ...rest] = argv
    if (sub === undefined || sub === '-h' || sub === '--help' || rest.includes('--help') || rest.includes('-h')) {
      io.stdout(HELP)
      return sub === undefined ? REGRESS_EXIT.HARNESS_ERROR : REGRESS_EXIT.PASS
    }
    if (sub !== 'run') {
      io.stderr(`sightline eval: unknown subcommand '${sub}'\n\n${HELP}`)
      return REGRESS_EXIT.HARNESS_ERROR
    }
    try {
      return await run(rest, io)
    } catch (err) {
      io.stderr(`sightline eval run: ${(err as Error).message}\n`)
      return REGRESS_EXIT.HARNESS_ERROR
    }
  },
}
