/**
 * Readable, collapsible JSON. Strings holding JSON are expanded in place (tool results often arrive
 * double-encoded). Large containers start folded past the first levels so a 1 MB result renders fast.
 */
import { parseMaybeJson } from './messages'

const OPEN_DEPTH = 2
const MAX_CHILDREN = 200

export function JsonView({ value, label }: { value: unknown; label?: string }) {
  const parsed = typeof value === 'string' ? parseMaybeJson(value) : value
  return (
    <div className="json">
      {label && <div className="json-label muted small">{label}</div>}
      <JsonNode value={parsed} depth={0} />
    </div>
  )
}

function JsonNode({ value, depth, name }: { value: unknown; depth: number; name?: string }) {
  const key = name !== undefined ? <span className="j-key">{name}: </span> : null
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'string') {
      const inner = depth > 0 && value.length > 1 ? parseMaybeJson(value) : value
      if (inner !== value && typeof inner === 'object' && inner !== null)
        return <JsonNode value={inner} depth={depth} name={name} />
      return (
        <div className="j-line">
          {key}
          <span className="j-str">{JSON.stringify(value)}</span>
        </div>
      )
    }
    return (
      <div className="j-line">
        {key}
        <span className={value === null ? 'j-null' : `j-${typeof value}`}>{String(value)}</span>
      </div>
    )
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value)
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}']
  if (entries.length === 0)
    return (
      <div className="j-line">
        {key}
        {open}
        {close}
      </div>
    )
  return (
    <details className="j-node" open={depth < OPEN_DEPTH && entries.length <= 50}>
      <summary>
        {key}
        {open}
        <span className="muted small">
          {' '}
          {entries.length} {Array.isArray(value) ? 'items' : 'keys'}{' '}
        </span>
        {close}
      </summary>
      <div className="j-children">
        {entries.slice(0, MAX_CHILDREN).map(([k, v]) => (
          <JsonNode key={k} name={k} value={v} depth={depth + 1} />
        ))}
        {entries.length > MAX_CHILDREN && <div className="muted small">… {entries.length - MAX_CHILDREN} more</div>}
      </div>
    </details>
  )
}
