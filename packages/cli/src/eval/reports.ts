/**
 * Reports of `sightline eval run`: JUnit XML (one testsuite for the gate: a testcase per threshold,
 * per comparison with the accepted release and per case; harness errors and unverifiable cases are
 * <error>, never passes) and JSON (the gate report sent to Sightline).
 */
import type { EvalRunReport } from '@sightline/schema'
import { escapeXml } from '../regress/reports.js'

const attr = (name: string, value: string | number) => `${name}="${escapeXml(String(value))}"`
const num = (v: number | null) => (v === null ? 'n/a' : v.toFixed(3))

export function gateJunitXml(report: EvalRunReport): string {
  const cases: string[] = []
  let failures = 0
  let errors = 0
  const testcase = (name: string, body = '') =>
    cases.push(
      `    <testcase ${attr('classname', `eval.${report.suite}`)} ${attr('name', name)} time="0">${body}</testcase>`,
    )
  for (const t of report.thresholds) {
    const name = `threshold ${t.metric}${t.op}${t.value}`
    if (t.passed) testcase(name)
    else {
      failures++
      testcase(
        name,
        `<failure ${attr('type', 'threshold')} ${attr(
          'message',
          `${t.metric} ${num(t.actual)} is not ${t.op} ${t.value}`,
        )}/>`,
      )
    }
  }
  for (const c of report.baseline?.comparisons ?? []) {
    const name = `${c.metric} vs accepted ${report.baseline!.release}`
    const message =
      `${c.metric} ${num(c.current)} vs ${num(c.baseline)} (diff ${num(c.diff)}, ` +
      `95% CI ${num(c.ciLow)}–${num(c.ciHigh)}, p ${num(c.pValue)}, ${c.method})`
    if (!c.regressed) testcase(name)
    else {
      failures++
      testcase(name, `<failure ${attr('type', 'regression')} ${attr('message', message)}/>`)
    }
  }
  for (const c of report.cases) {
    const name = `case ${c.caseId} (${c.passed}/${c.runs} runs passed)`
    if (c.verdict === 'error' || c.verdict === 'unverifiable') {
      errors++
      testcase(name, `<error ${attr('type', c.verdict)} ${attr('message', c.problem || c.verdict)}/>`)
    } else if (c.verdict === 'fail') {
      failures++
      testcase(
        name,
        `<failure ${attr('type', 'case')} ${attr('message', c.problem || 'a blocking assertion failed')}/>`,
      )
    } else testcase(name)
  }
  const metrics = report.metrics.map(
    (m) =>
      `    <property ${attr('name', m.metric)} ${attr(
        'value',
        `${num(m.mean)} (${num(m.ciLow)}–${num(m.ciHigh)}), n=${m.n}`,
      )}/>`,
  )
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attr('name', 'sightline eval')} ${attr('tests', cases.length)} ${attr('failures', failures)} ` +
      `${attr('errors', errors)}>`,
    `  <testsuite ${attr('name', `eval ${report.suite} on ${report.release || '(unknown release)'}`)} ` +
      `${attr('tests', cases.length)} ${attr('failures', failures)} ${attr('errors', errors)}>`,
    `    <properties><property ${attr('name', 'verdict')} ${attr('value', report.verdict)}/>`,
    ...metrics,
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}

export function gateJsonReport(report: EvalRunReport): string {
  return `${JSON.stringify(report, null, 2)}\n`
}
