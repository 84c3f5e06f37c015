/** Agreement between reviewers per score, with how it was measured. */
import type { Agreement } from '@sightline/schema'

const pct = (v: number | null) => (v === null ? '—' : `${Math.round(v * 100)} %`)

export function AgreementTable({ agreement }: { agreement: readonly Agreement[] }) {
  if (!agreement.some((a) => a.items > 0))
    return <p className="muted small">Agreement shows once two reviewers have scored the same traces.</p>
  return (
    <section aria-label="Agreement">
      <h3>Agreement between reviewers</h3>
      <table className="grid">
        <thead>
          <tr>
            <th>Score</th>
            <th className="num">Traces</th>
            <th className="num">Pairs</th>
            <th className="num">Same value</th>
            <th className="num">Cohen's κ</th>
            <th className="num">Mean |Δ|</th>
          </tr>
        </thead>
        <tbody>
          {agreement.map((a) => (
            <tr key={a.scoreName} title={a.method}>
              <td>{a.scoreName}</td>
              <td className="num">{a.items}</td>
              <td className="num">{a.pairs}</td>
              <td className="num">{pct(a.percentAgreement)}</td>
              <td className="num">{a.kappa === null ? '—' : a.kappa.toFixed(2)}</td>
              <td className="num">{a.meanAbsDiff === null ? '—' : a.meanAbsDiff.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
