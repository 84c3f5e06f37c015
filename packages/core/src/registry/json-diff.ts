/**
 * @module registry/json-diff
 * What changed between two JSON values, as a flat list of paths (JSON Pointer) with the value before
 * and after: the diff a drift event carries (an Agent Card, a tool's input schema). Object keys are
 * compared whatever their order; arrays by position.
 */
import type { JsonChange } from '@sightline/schema'

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1')

export function jsonDiff(before: unknown, after: unknown, limit = 200): JsonChange[] {
  const changes: JsonChange[] = []
  const walk = (a: unknown, b: unknown, path: string) => {
    if (changes.length >= limit) return
    if (isObject(a) && isObject(b)) {
      for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort())
        walk(a[key], b[key], `${path}/${escape(key)}`)
      return
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      for (let i = 0; i < Math.max(a.length, b.length); i++) walk(a[i], b[i], `${path}/${i}`)
      return
    }
    if (!sameJson(a, b)) changes.push({ path: path || '/', before: a ?? null, after: b ?? null })
  }
  walk(before, after, '')
  return changes
}

/** Equal as JSON values (key order ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b)
}

/** JSON text with object keys sorted: the identity of a schema or card whatever its key order. */
export function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  if (isObject(value))
    return `{${Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`)
      .join(',')}}`
  return JSON.stringify(value ?? null)
}

/** A short deterministic hash (two FNV-1a 32-bit passes), for ids derived from content. */
export function shortHash(text: string): string {
  let a = 0x811c9dc5
  let b = 0x01000193 ^ 0x5bd1e995
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193) >>> 0
    b = Math.imul(b ^ c, 0x01000193 + 2) >>> 0
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0')
}
