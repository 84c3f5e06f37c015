/**
 * Splitting a file's run totals across the calls it made, exactly: the parts always add back up to
 * the total (largest-remainder rounding), so the server's sums match the file.
 */

/** Splits integer `total` in proportion to `weights`; equal shares when all weights are zero. */
export function splitInteger(total: number, weights: readonly number[]): number[] {
  const parts = splitUnits(BigInt(Math.round(total)), weights)
  return parts.map((part) => Number(part))
}

/**
 * Fractional digits kept for costs: the server stores cost as Decimal(18, 10), so parts with at
 * most 10 decimals sum there exactly to the total.
 */
const COST_DECIMALS = 10
const COST_SCALE = 10n ** BigInt(COST_DECIMALS)

/** Splits a decimal cost (USD) into decimal-string parts whose exact sum is the total, rounded to 1e-10. */
export function splitCost(total: number, weights: readonly number[]): string[] {
  return splitUnits(costToUnits(total), weights).map(unitsToDecimal)
}

export function costToUnits(value: number): bigint {
  if (!Number.isFinite(value) || value < 0) throw new Error(`invalid cost ${value}`)
  const [whole = '0', frac = ''] = value.toFixed(COST_DECIMALS).split('.')
  return BigInt(whole) * COST_SCALE + BigInt(frac.padEnd(COST_DECIMALS, '0'))
}

function unitsToDecimal(units: bigint): string {
  const whole = units / COST_SCALE
  const frac = (units % COST_SCALE).toString().padStart(COST_DECIMALS, '0').replace(/0+$/, '')
  return frac === '' ? whole.toString() : `${whole}.${frac}`
}

/** Sums decimal strings exactly (at 1e-10). */
export function sumDecimals(values: readonly string[]): string {
  return unitsToDecimal(values.reduce((sum, value) => sum + costToUnits(Number(value)), 0n))
}

function splitUnits(total: bigint, rawWeights: readonly number[]): bigint[] {
  const n = rawWeights.length
  if (n === 0) return []
  const positive = rawWeights.map((w) => (Number.isFinite(w) && w > 0 ? BigInt(Math.round(w)) : 0n))
  const weights = positive.some((w) => w > 0n) ? positive : positive.map(() => 1n)
  const sum = weights.reduce((a, b) => a + b, 0n)
  const parts = weights.map((w) => (total * w) / sum)
  let left = total - parts.reduce((a, b) => a + b, 0n)
  // Hand the leftover units to the largest remainders; ties go to the earlier call (deterministic).
  const order = weights
    .map((w, i) => ({ i, rem: (total * w) % sum }))
    .sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1))
  for (const { i } of order) {
    if (left <= 0n) break
    parts[i] = (parts[i] ?? 0n) + 1n
    left--
  }
  return parts
}
