/**
 * Release differences in plain words, with how sure they are: the estimate, its 95 % CI, the test
 * (from the API's `method` string) and the p-value, e.g.
 * "1.5.0 is 2.4× slower than 1.4.0 (95 % CI 2.1–2.8×, Welch t-test on per-trace log latency, p < 0.001)".
 */
import type { ReleaseDiff } from '@sightline/schema'
import { formatCost } from '../../lib/format'

type Tone = 'worse' | 'better' | 'unclear'

export interface DiffText {
  headline: string
  detail: string
  tone: Tone
}

/** "p < 0.001", "p = 0.032", "p = 0.41"; "no test" when there is none. */
export function formatPValue(p: number | null): string {
  if (p === null || !Number.isFinite(p)) return 'no test'
  if (p < 0.001) return 'p < 0.001'
  if (p < 0.01) return `p = ${p.toFixed(3)}`
  return `p = ${p.toFixed(2)}`
}

/**
 * The test's name from the API's method string: "Welch's t-test on per-trace cost, 95% CI…" → "Welch t-test on
 * per-trace cost".
 */
export function methodInWords(method: string): string {
  const first = method.split(/[;,]/)[0] ?? method
  return first
    .replace(/Welch's/g, 'Welch')
    .replace(/\s*\([^)]*\)/g, '')
    .trim()
    .replace(/^Two-proportion/, 'two-proportion')
}

const SIGNIFICANCE = 0.05
const isSure = (d: ReleaseDiff, nullValue: number) =>
  d.pValue !== null &&
  d.pValue < SIGNIFICANCE &&
  d.ciLow !== null &&
  d.ciHigh !== null &&
  (d.ciLow > nullValue || d.ciHigh < nullValue)

const ratio = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(x >= 1.5 ? 1 : 2))

function sureness(d: ReleaseDiff, interval: string): string {
  return `(95 % CI ${interval}, ${methodInWords(d.method)}, ${formatPValue(d.pValue)})`
}

/** Latency from the geometric-mean ratio b/a. */
export function describeLatency(d: ReleaseDiff, a: string, b: string): DiffText | null {
  if (d.estimate === null || d.estimate <= 0) return null
  const slower = d.estimate >= 1
  const factor = slower ? d.estimate : 1 / d.estimate
  const lo = d.ciLow === null ? null : slower ? d.ciLow : 1 / d.ciLow
  const hi = d.ciHigh === null ? null : slower ? d.ciHigh : 1 / d.ciHigh
  const interval = lo === null || hi === null ? 'n/a' : `${ratio(Math.min(lo, hi))}–${ratio(Math.max(lo, hi))}×`
  const sure = isSure(d, 1)
  const headline = sure
    ? `${b} is ${ratio(factor)}× ${slower ? 'slower' : 'faster'} than ${a}`
    : `No clear latency difference between ${b} and ${a} (${ratio(factor)}× ${slower ? 'slower' : 'faster'})`
  return { headline, detail: sureness(d, interval), tone: sure ? (slower ? 'worse' : 'better') : 'unclear' }
}

/** Cost per trace from the difference of means b − a. */
export function describeCost(d: ReleaseDiff, a: string, b: string, meanA: number | null): DiffText | null {
  if (d.estimate === null) return null
  const more = d.estimate >= 0
  const pct = meanA && meanA > 0 ? ` (${more ? '+' : '−'}${Math.abs((d.estimate / meanA) * 100).toFixed(0)} %)` : ''
  const money = (v: number | null) => (v === null ? 'n/a' : `${v < 0 ? '−' : ''}${formatCost(Math.abs(v))}`)
  const sure = isSure(d, 0)
  // Equal means come back as float noise (1e-18), not as 0.
  const amount =
    Math.abs(d.estimate) < 1e-9
      ? 'the same mean cost per trace'
      : `${formatCost(Math.abs(d.estimate))} ${more ? 'more' : 'less'} per trace${pct}`
  const headline = sure
    ? `${b} costs ${amount} than ${a}`
    : `No clear cost difference between ${b} and ${a} (${amount})`
  return {
    headline,
    detail: sureness(d, `${money(d.ciLow)} to ${money(d.ciHigh)}`),
    tone: sure ? (more ? 'worse' : 'better') : 'unclear',
  }
}

/** A rate difference b − a, in percentage points. */
export function describeRate(d: ReleaseDiff, what: string, a: string, b: string): DiffText | null {
  if (d.estimate === null) return null
  const pp = (v: number) => `${v < 0 ? '−' : v > 0 ? '+' : ''}${Math.abs(v * 100).toFixed(1)}`
  const higher = d.estimate >= 0
  const sure = isSure(d, 0)
  const amount = `${Math.abs(d.estimate * 100).toFixed(1)} pp ${higher ? 'higher' : 'lower'}`
  const headline = sure
    ? `${b}'s ${what} is ${amount} than ${a}'s`
    : `No clear ${what} difference between ${b} and ${a} (${amount})`
  const interval = d.ciLow === null || d.ciHigh === null ? 'n/a' : `${pp(d.ciLow)} to ${pp(d.ciHigh)} pp`
  return { headline, detail: sureness(d, interval), tone: sure ? (higher ? 'worse' : 'better') : 'unclear' }
}

/** Picks "canary against baseline": the canary-looking release (or the least used) vs the most used other one. */
export function canaryAndBaseline(
  releases: ReadonlyArray<{ release: string; invocations: number }>,
): { a: string; b: string } | null {
  if (releases.length < 2) return null
  const byUse = [...releases].sort((x, y) => y.invocations - x.invocations)
  const canary = byUse.find((r) => /canary|beta|rc\d*|preview|next/i.test(r.release)) ?? byUse[byUse.length - 1]!
  const baseline = byUse.find((r) => r.release !== canary.release)!
  return { a: baseline.release, b: canary.release }
}
