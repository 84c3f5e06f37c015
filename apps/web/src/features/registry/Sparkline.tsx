/** A tiny inline series (calls per step); the title gives the total for screen readers and hovers. */
export function Sparkline({ values, width = 90, height = 20 }: { values: number[]; width?: number; height?: number }) {
  const max = Math.max(1, ...values)
  const step = values.length > 1 ? width / (values.length - 1) : width
  const points = values
    .map((v, i) => `${(i * step).toFixed(1)},${(height - 1 - (v / max) * (height - 2)).toFixed(1)}`)
    .join(' ')
  const total = values.reduce((a, b) => a + b, 0)
  return (
    <svg className="sparkline" width={width} height={height} role="img" aria-label={`${total} calls over the range`}>
      <title>{`${total} calls over the range`}</title>
      {values.length > 0 && <polyline points={points} fill="none" stroke="var(--accent)" strokeWidth="1.2" />}
    </svg>
  )
}
