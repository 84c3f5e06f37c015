/**
 * What the export masks: the proposal's redaction fields (e-mails, API keys, card numbers) with the
 * stored value next to the masked one, plus values the SDK had already masked at capture time.
 */
import { useQuery } from '../../api/use-query'
import { ErrorState, Loading } from '../../components/States'
import { maskedAtCapture, redactionRows, type Draft } from './case-draft'
import { regressionApi } from './regression-api'

const show = (value: unknown) => (value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value))

export function RedactionPreview({ traceId, draft, fields }: { traceId: string; draft: Draft; fields: string[] }) {
  // The stored ("before") values are only fetched when something was masked.
  const original = useQuery(fields.length ? `unredacted:${traceId}` : null, (signal) =>
    regressionApi.propose(traceId, { redact: false }, signal),
  )
  const { source: _source, ...payload } = draft
  const atCapture = maskedAtCapture(payload)
  return (
    <section className="rc-card" aria-label="Redaction preview">
      <div className="rc-card-head">
        <h3>Redaction preview</h3>
        <span className="muted small">
          Captured content in the case (input, tool arguments and results, answers) goes through the shared rules:
          e-mails, API keys, card numbers.
        </span>
      </div>
      {fields.length === 0 ? (
        <p className="muted small rc-pad">
          Nothing in this case matched the redaction rules; no field was masked by the export.
        </p>
      ) : original.error ? (
        <ErrorState error={original.error} onRetry={original.reload} />
      ) : original.isLoading ? (
        <Loading label="Loading stored values…" />
      ) : (
        <table className="grid rc-redaction">
          <thead>
            <tr>
              <th>Field (JSON Pointer)</th>
              <th>Before</th>
              <th>After</th>
            </tr>
          </thead>
          <tbody>
            {redactionRows(fields, draft, original.data?.case).map((r) => (
              <tr key={r.pointer}>
                <td className="mono small">{r.pointer}</td>
                <td className="mono small rc-before">{show(r.before)}</td>
                <td className="mono small">{show(r.after)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {atCapture.length > 0 && (
        <p className="muted small rc-pad">
          Already masked by the SDK at capture time ({atCapture.length}):{' '}
          <span className="mono">
            {atCapture.slice(0, 6).join(', ')}
            {atCapture.length > 6 ? '…' : ''}
          </span>
        </p>
      )}
    </section>
  )
}
