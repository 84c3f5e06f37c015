/**
 * @module content/canonical-json
 * Stable JSON: object keys sorted, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same tool
 * arguments wherever calls are compared (the stored arguments key, trajectories, case matching).
 */

/** Canonical form of a JSON text; text that is not JSON is compared trimmed, as sent. */
export function canonicalJson(text: string): string {
  if (!text) return ''
  try {
    return JSON.stringify(sortKeys(JSON.parse(text)))
  } catch {
    return text.trim()
  }
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key])
    return out
  }
  return value
}
