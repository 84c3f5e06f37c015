/**
 * Rebuilds flattened indexed attributes into the array the client started from, e.g.
 * `gen_ai.prompt.0.role` + `gen_ai.prompt.0.content` -> `[{"role":..,"content":..}]`. Older OTel
 * GenAI and OpenInference flatten message lists this way because span attributes cannot nest.
 */
import type { AttrValue, Attributes } from '../types.js'
import { isObject, type JsonObject } from './attributes.js'

type Node = AttrValue | undefined

/** `undefined` when no key has the shape `<prefix>.<N>.<rest>`. */
export function rebuildIndexed(attrs: Attributes, prefix: string): AttrValue[] | undefined {
  const head = `${prefix}.`
  const root: JsonObject = {}
  let found = false
  for (const [key, value] of Object.entries(attrs)) {
    if (!key.startsWith(head)) continue
    const path = key.slice(head.length).split('.')
    if (!/^\d+$/.test(path[0] ?? '') || path.length < 2) continue
    setPath(root, path, value)
    found = true
  }
  return found ? toDenseArray(root) : undefined
}

/** Numeric segments are collected in objects first and turned into arrays at the end. */
function setPath(target: JsonObject, path: string[], value: AttrValue): void {
  let node = target
  for (const segment of path.slice(0, -1)) {
    const next = node[segment]
    if (isObject(next)) {
      node = next
    } else {
      const created: JsonObject = {}
      node[segment] = created
      node = created
    }
  }
  const last = path[path.length - 1]
  if (last !== undefined) node[last] = value
}

function toDenseArray(node: JsonObject): AttrValue[] {
  return Object.keys(node)
    .filter((key) => /^\d+$/.test(key))
    .sort((a, b) => Number(a) - Number(b))
    .map((key) => finish(node[key]))
}

function finish(node: Node): AttrValue {
  if (!isObject(node)) return node ?? null
  const keys = Object.keys(node)
  if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) return toDenseArray(node)
  const out: JsonObject = {}
  for (const key of keys) out[key] = finish(node[key])
  return out
}

/** OpenInference wraps each entry (`{message: {...}}`); the wrapper adds nothing. */
export function unwrapSingleKey(items: AttrValue[], wrapper: string): AttrValue[] {
  return items.map((item) => {
    if (!isObject(item)) return item
    const keys = Object.keys(item)
    const inner = item[wrapper]
    return keys.length === 1 && inner !== undefined ? inner : item
  })
}
