import { useEffect, useRef, useState } from 'react'

/** A dropdown of checkboxes over facet values; the button shows how many are picked. */
export function MultiPicker({
  label,
  options,
  value,
  onChange,
}: {
  label: string
  options: readonly string[]
  value: readonly string[]
  onChange: (next: string[]) => void
}) {
  const [isOpen, setOpen] = useState(false)
  const [filter, setFilter] = useState('')
  const ref = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (!isOpen) return
    const close = (e: MouseEvent) => !ref.current?.contains(e.target as Node) && setOpen(false)
    const escape = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false)
    document.addEventListener('mousedown', close)
    document.addEventListener('keydown', escape)
    return () => {
      document.removeEventListener('mousedown', close)
      document.removeEventListener('keydown', escape)
    }
  }, [isOpen])
  // Values picked via the URL may be missing from the facets of the current range: keep them listed.
  const all = [...new Set([...value, ...options])]
  const shown = all.filter((o) => o.toLowerCase().includes(filter.toLowerCase()))
  const toggle = (o: string) => onChange(value.includes(o) ? value.filter((v) => v !== o) : [...value, o])
  return (
    <div className="picker" ref={ref}>
      <button
        type="button"
        className={value.length ? 'btn picker-btn active' : 'btn picker-btn'}
        aria-label={`${label} filter`}
        onClick={() => setOpen(!isOpen)}
      >
        {label}
        {value.length ? `: ${value.length === 1 ? value[0] : value.length}` : ''} ▾
      </button>
      {isOpen && (
        <div className="picker-menu" role="listbox" aria-label={label}>
          {all.length > 8 && (
            <input
              className="picker-search"
              placeholder={`Filter ${label.toLowerCase()}…`}
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              autoFocus
            />
          )}
          {shown.length === 0 && <div className="muted picker-empty">No values in this time range</div>}
          {shown.map((o) => (
            <label key={o} className="picker-option">
              <input type="checkbox" checked={value.includes(o)} onChange={() => toggle(o)} /> <span>{o}</span>
            </label>
          ))}
          {value.length > 0 && (
            <button type="button" className="btn ghost small" onClick={() => onChange([])}>
              Clear
            </button>
          )}
        </div>
      )}
    </div>
  )
}
