/** Set a project price for a model no price table covers (PUT /api/v1/price-overrides). */
import { useState, type FormEvent } from 'react'
import { analyticsApi, type Range } from './dashboard-api'

interface Props {
  model: string
  /** The dashboard's range: the dialog closes once the model is priced there. */
  range: Range
  onClose: () => void
  onSaved: () => void
}

/** Past calls are priced again by the resolver in the background (seconds, more with many traces). */
const REPRICE_POLL_MS = 1_000
const REPRICE_WAIT_MS = 60_000

const parsePrice = (text: string): number | null | undefined => {
  if (text.trim() === '') return null
  const n = Number(text)
  return Number.isFinite(n) && n >= 0 ? n : undefined
}

/** No price ever covered these calls, so the override covers all of them: it starts before any data. */
const EFFECTIVE_FROM = '2000-01-01T00:00:00Z'

export function PriceDialog({ model, range, onClose, onSaved }: Props) {
  const [fields, setFields] = useState({ input: '', output: '', cacheRead: '' })
  const [error, setError] = useState('')
  const [isSaving, setSaving] = useState(false)
  const [repricing, setRepricing] = useState<number | null>(null)
  const input = parsePrice(fields.input)
  const output = parsePrice(fields.output)
  const cacheRead = parsePrice(fields.cacheRead)
  const isValid = typeof input === 'number' && typeof output === 'number' && cacheRead !== undefined

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    if (!isValid) return
    setSaving(true)
    setError('')
    try {
      const traces = await analyticsApi.putPriceOverride({
        model,
        effectiveFrom: EFFECTIVE_FROM,
        inputPerMtok: input,
        outputPerMtok: output,
        cacheReadPerMtok: cacheRead,
        cacheWritePerMtok: null,
      })
      setRepricing(traces)
      // Closing at once would show the old numbers: wait until the range has no unpriced call of it.
      const deadline = Date.now() + REPRICE_WAIT_MS
      while (traces > 0 && Date.now() < deadline) {
        const { models } = await analyticsApi.unpricedModels(range)
        if (!models.some((m) => m.model === model)) break
        await new Promise((resolve) => setTimeout(resolve, REPRICE_POLL_MS))
      }
      onSaved()
    } catch (err) {
      setError((err as Error).message)
      setSaving(false)
    }
  }

  const field = (key: keyof typeof fields, label: string, placeholder: string) => (
    <label className="field">
      <span>{label}</span>
      <input
        inputMode="decimal"
        placeholder={placeholder}
        value={fields[key]}
        onChange={(e) => setFields({ ...fields, [key]: e.target.value })}
      />
    </label>
  )

  return (
    <div className="modal-backdrop" onClick={onClose}>
      <form
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-label={`Set a price for ${model}`}
        onSubmit={submit}
        onClick={(e) => e.stopPropagation()}
      >
        <h2>
          Set a price for <span className="mono">{model}</span>
        </h2>
        <p className="muted small">
          USD per million tokens. Applies to every call of this model in this project, past calls included.
        </p>
        {field('input', 'Input $/Mtok', 'e.g. 3')}
        {field('output', 'Output $/Mtok', 'e.g. 15')}
        {field('cacheRead', 'Cached input $/Mtok (optional)', 'same as input')}
        {repricing !== null && (
          <p className="muted small" role="status">
            Saved. Pricing {repricing.toLocaleString('en-US')} past {repricing === 1 ? 'trace' : 'traces'} again…
          </p>
        )}
        {error && (
          <div className="form-error" role="alert">
            {error}
          </div>
        )}
        <div className="modal-actions">
          <button type="button" className="btn ghost" onClick={onClose}>
            Cancel
          </button>
          <button className="btn primary" disabled={!isValid || isSaving}>
            {isSaving ? 'Saving…' : 'Save price'}
          </button>
        </div>
      </form>
    </div>
  )
}
