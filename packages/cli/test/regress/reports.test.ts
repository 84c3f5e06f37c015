import { describe, expect, it } from 'vitest'
import { caseVerdict, requiredPasses } from '@sightline/core'
import { combinedVerdict, exitCodeFor } from '../../src/regress/exit-codes.js'
import { junitXml } from '../../src/regress/reports.js'
import type { CaseResult, RunResult } from '../../src/regress/runner.js'

/** Well-formedness: one root, balanced tags, attributes quoted, no raw `<`/`&` in text. */
function assertWellFormed(xml: string): void {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true)
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '')
  const stack: string[] = []
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy
  let m: RegExpExecArray | null
  let consumed = 0
  while ((m = token.exec(body))) {
    consumed = token.lastIndex
    if (m[5] !== undefined) {
      expect(/&(?!(amp|lt|gt|quot|apos);)/.test(m[5]), `bad entity in ${m[5]}`).toBe(false)
      continue
    }
    if (m[1]) expect(stack.pop()).toBe(m[2])
    else if (!m[4]) stack.push(m[2]!)
  }
  expect(consumed).toBe(body.length)
  expect(stack).toEqual([])
}

const run = (over: Partial<RunResult>): RunResult => ({
  attempt: 1,
  runId: 'r1234567',
  traceId: 'a'.repeat(32),
  verdict: 'pass',
  release: '1.0.0',
  startedAt: '2026-01-01T00:00:00Z',
  durationMs: 1200,
  output: '',
  assertions: [],
  ...over,
})

describe('JUnit report', () => {
  it('is well-formed XML, escapes agent text, and maps verdicts to failure/error/skipped', () => {
    const results: CaseResult[] = [
      {
        caseId: 'rc-one',
        markedRunId: 'a1b2c3d4e5f60718',
        title: 'loop <weather> & "stuff"',
        verdict: 'fail',
        exitCode: 1,
        summary: '',
        runs: [
          run({
            verdict: 'fail',
            assertions: [
              {
                id: 'no-repeated-calls',
                type: 'max_repeated_calls',
                blocking: true,
                passed: false,
                detail: 'weather {"city":"A<b>"} called 6 time(s) \u0001',
              },
              { id: 'budget-tokens', type: 'budget', blocking: false, passed: false, detail: 'tokens 9 (budget 5)' },
              { id: 'status-ok', type: 'status', blocking: true, passed: true, detail: 'ok' },
            ],
          }),
          run({ attempt: 2, verdict: 'unverifiable', problem: 'trace never arrived' }),
        ],
      },
      {
        caseId: 'rc-two',
        markedRunId: '',
        title: 'bad',
        verdict: 'error',
        exitCode: 2,
        summary: 'rc-two: error: agent unreachable',
        runs: [],
      },
    ]
    const xml = junitXml(results)
    assertWellFormed(xml)
    expect(xml).toContain('<testsuites name="sightline regress" tests="5" failures="1" errors="2" skipped="1">')
    expect(xml).toContain(
      '<failure type="max_repeated_calls" message="weather {&quot;city&quot;:&quot;A&lt;b&gt;&quot;} called 6 ' +
        'time(s) "',
    )
    expect(xml).toContain('<error type="unverifiable" message="trace never arrived">')
    expect(xml).toContain('name="rc-one: loop &lt;weather&gt; &amp; &quot;stuff&quot;"')
  })
})

describe('exit codes and verdicts', () => {
  it('maps verdicts to exit codes', () => {
    expect(['pass', 'fail', 'error', 'unverifiable'].map((v) => exitCodeFor(v as never))).toEqual([0, 1, 2, 3])
  })
  it('combines cases: regression, then harness error, then unverifiable', () => {
    expect(combinedVerdict(['pass', 'unverifiable', 'error', 'fail'])).toBe('fail')
    expect(combinedVerdict(['pass', 'unverifiable', 'error'])).toBe('error')
    expect(combinedVerdict(['pass', 'unverifiable'])).toBe('unverifiable')
    expect(combinedVerdict(['pass', 'pass'])).toBe('pass')
    expect(combinedVerdict([])).toBe('error')
  })
  it('pass rules: all, majority, any, k-of-n; errors never count as passes', () => {
    expect(requiredPasses('majority', 3)).toBe(2)
    expect(caseVerdict(['pass', 'fail', 'pass'], 'majority')).toBe('pass')
    expect(caseVerdict(['pass', 'fail', 'pass'], 'all')).toBe('fail')
    expect(caseVerdict(['pass', 'error', 'error'], { atLeast: 2 })).toBe('error')
    expect(caseVerdict(['unverifiable', 'unverifiable'], 'any')).toBe('unverifiable')
    expect(caseVerdict(['fail', 'pass'], 'any')).toBe('pass')
  })
})
