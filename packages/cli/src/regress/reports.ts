/**
 * Reports of a `regress run`: JUnit XML (one testsuite per case, one testcase per run and
 * assertion; harness errors and unverifiable runs are <error>, never passes) and JSON (the results).
 */
import type { CaseResult } from './runner.js'

export function escapeXml(text: string): string {
  // Characters XML 1.0 forbids are dropped (agent output may contain control bytes).
  // eslint-disable-next-line no-control-regex
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
}

const attr = (name: string, value: string | number) => `${name}="${escapeXml(String(value))}"`
const seconds = (ms: number) => (ms / 1000).toFixed(3)

export function junitXml(results: readonly CaseResult[]): string {
  let tests = 0
  let failures = 0
  let errors = 0
  let skipped = 0
  const suites = results.map((c) => {
    const cases: string[] = []
    let sTests = 0
    let sFailures = 0
    let sErrors = 0
    let sSkipped = 0
    if (c.runs.length === 0) {
      sTests++
      sErrors++
      cases.push(
        `    <testcase ${attr('classname', c.caseId)} ${attr('name', 'harness')} ` +
          `time="0"><error ${attr('type', c.verdict)} ${attr('message', c.summary)}/></testcase>`,
      )
    }
    for (const run of c.runs) {
      const name = (what: string) => attr('name', `run ${run.attempt}: ${what}`)
      if (run.verdict === 'error' || run.verdict === 'unverifiable') {
        sTests++
        sErrors++
        cases.push(
          `    <testcase ${attr('classname', c.caseId)} ${name(run.verdict)} ` +
            `time="${seconds(run.durationMs)}"><error ${attr('type', run.verdict)} ` +
            `${attr('message', run.problem ?? run.verdict)}>${escapeXml(`trace ${run.traceId}`)}</error></testcase>`,
        )
        continue
      }
      for (const a of run.assertions) {
        sTests++
        const body = a.passed
          ? ''
          : a.blocking
            ? (sFailures++,
              `<failure ${attr('type', a.type)} ${attr('message', a.detail)}>` +
                `${escapeXml(`trace ${run.traceId}\n${a.detail}`)}</failure>`)
            : (sSkipped++, `<skipped ${attr('message', `advisory: ${a.detail}`)}/>`)
        cases.push(`    <testcase ${attr('classname', c.caseId)} ${name(a.id)} time="0">${body}</testcase>`)
      }
    }
    tests += sTests
    failures += sFailures
    errors += sErrors
    skipped += sSkipped
    const time = c.runs.reduce((n, r) => n + r.durationMs, 0)
    return [
      `  <testsuite ${attr('name', `${c.caseId}: ${c.title}`)} ${attr('tests', sTests)} ` +
        `${attr('failures', sFailures)} ${attr('errors', sErrors)} ${attr('skipped', sSkipped)} time="` +
        `${seconds(time)}">`,
      `    <properties><property ${attr('name', 'verdict')} ${attr('value', c.verdict)}/></properties>`,
      ...cases,
      '  </testsuite>',
    ].join('\n')
  })
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attr('name', 'sightline regress')} ${attr('tests', tests)} ${attr('failures', failures)} ` +
      `${attr('errors', errors)} ${attr('skipped', skipped)}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n')
}

export function jsonReport(results: readonly CaseResult[], verdict: string, exitCode: number): string {
  return `${JSON.stringify({ verdict, exitCode, cases: results }, null, 2)}\n`
}
