/**
 * Lookup helpers over decoded OTLP attributes. Conventions disagree on types (a token count may be
 * an int, a double or a numeric string; a message list a JSON string or a structured value), so every
 * read goes through these helpers rather than indexing `attributes` directly.
 */
import { NOT_JSON, parseJsonText } from '@sightline/core'
import type { AttrValue, Attributes } from '../types.js'

/** The first key whose value is present; empty strings count as absent (OpenLLMetry emits `""`). */
export function firstPresent(attrs: Attributes, keys: readonly string[]): AttrValue | undefined {
  for (const key of keys) {
    const value = attrs[key]
    if (value !== undefined && value !== null && value !== '') return value
  }
  return undefined
}

export function firstString(attrs: Attributes, keys: readonly string[]): string {
  const value = firstPresent(attrs, keys)
  return value === undefined ? '' : toText(value)
}

/** Accepts numbers and numeric strings (OTLP/JSON int64 may arrive as a decimal string). */
export function toInt(value: AttrValue | undefined): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value)
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) {
    return Math.trunc(Number(value))
  }
  return undefined
}

export function firstInt(attrs: Attributes, keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const parsed = toInt(attrs[key])
    if (parsed !== undefined) return parsed
  }
  return undefined
}

/** Strings verbatim; everything else as JSON so nested values survive a `Map(String, String)`. */
export function toText(value: AttrValue): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value === null) return ''
  return JSON.stringify(value)
}

/**
 * Always valid JSON text: a string that already holds JSON is kept byte for byte (what the client
 * sent), any other string is quoted, structured values are serialised.
 */
export function toJsonText(value: AttrValue): string {
  if (typeof value === 'string') return isJsonText(value) ? value : JSON.stringify(value)
  return JSON.stringify(value)
}

/** Parsed through core's remembered parse: the preview reads the same text right after (span-row.ts). */
function isJsonText(text: string): boolean {
  return parseJsonText(text) !== NOT_JSON
}

export type JsonObject = { [key: string]: AttrValue }

export function isObject(value: AttrValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A structured object, or a JSON string holding one (metadata, Langfuse usage details). */
export function asObject(value: AttrValue | undefined): JsonObject | undefined {
  if (isObject(value)) return value
  if (typeof value !== 'string') return undefined
  try {
    const parsed: unknown = JSON.parse(value)
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as JsonObject) : undefined
  } catch {
    return undefined
  }
}

export function hasKeyWithPrefix(attrs: Attributes, prefix: string): boolean {
  return Object.keys(attrs).some((key) => key.startsWith(prefix))
}
