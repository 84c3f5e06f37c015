/**
 * Span rows as ClickHouse TabSeparated lines (values only, in the given column order): the spool's
 * and the insert's format. The engine parses it with less CPU than JSON (no key names, no JSON
 * string unescaping), and the same text goes to chDB's rawInsert and to a server's
 * `INSERT … FORMAT TabSeparated`.
 *
 * A value's form follows its JS type, as JSON's would: strings escaped (backslash, tab, newline,
 * carriage return and NUL as backslash sequences, so one line is one row), numbers as written by
 * JS, booleans as `true`/`false`, null as `\N`, arrays as `['a','b']` and plain objects (maps) as
 * `{'k':'v'}`, their strings quoted with the same escapes plus `\'`.
 */

const NEEDS_ESCAPE = /[\\\t\n\r\0]/
const ESCAPED = /[\\\t\n\r\0]/g
const NEEDS_QUOTE_ESCAPE = /[\\\t\n\r\0']/
const QUOTE_ESCAPED = /[\\\t\n\r\0']/g
const REPLACEMENT: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\0': '\\0',
  "'": "\\'",
}
const replace = (c: string) => REPLACEMENT[c]!

function tsvString(value: string): string {
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, replace) : value
}

function quoted(value: string): string {
  return `'${NEEDS_QUOTE_ESCAPE.test(value) ? value.replace(QUOTE_ESCAPED, replace) : value}'`
}

function element(value: unknown): string {
  if (typeof value === 'string') return quoted(value)
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'object') return composite(value)
  return String(value)
}

function composite(value: object): string {
  if (Array.isArray(value)) {
    let out = '['
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + element(value[i])
    return `${out}]`
  }
  let out = '{'
  let first = true
  for (const key in value) {
    out += `${first ? '' : ','}${quoted(key)}:${element((value as Record<string, unknown>)[key])}`
    first = false
  }
  return `${out}}`
}

/** One field of a TabSeparated line. */
export function tsvField(value: unknown): string {
  if (typeof value === 'string') return tsvString(value)
  if (value === null || value === undefined) return '\\N'
  // Composite text never holds a raw tab or newline: its strings are quoted with escapes.
  if (typeof value === 'object') return composite(value)
  return String(value)
}

/** The composite fields of the row encoded before, by column: see `tsvLine`. */
export interface TsvPrevious {
  values: unknown[]
  texts: string[]
}

export const newTsvPrevious = (): TsvPrevious => ({ values: [], texts: [] })

/**
 * One row as a TabSeparated line, newline included. With `previous`, a composite value that is the
 * very object the previous row had in that column is not written again (every span of a resource
 * shares its attributes object): for rows nobody changes while they are encoded.
 */
export function tsvLine(row: object, columns: readonly string[], previous?: TsvPrevious): string {
  if (columns.length === 0) return '\n'
  const record = row as Record<string, unknown>
  // Joined, not concatenated: `+=` made a rope of ~100 pieces per line that the write then copied
  // flat again, ~5 KB of garbage a span against ~2 KB (sampled allocations of the bench's spans).
  const fields: string[] = []
  for (let c = 0; c < columns.length; c++) {
    const value = record[columns[c]!]
    if (previous !== undefined && typeof value === 'object' && value !== null) {
      if (previous.values[c] === value) fields.push(previous.texts[c]!)
      else {
        const field = tsvField(value)
        previous.values[c] = value
        previous.texts[c] = field
        fields.push(field)
      }
    } else fields.push(tsvField(value))
  }
  // The newline goes on the last field, so that the joined line is one flat string, not a rope to copy.
  fields[columns.length - 1] += '\n'
  return fields.join('\t')
}

const UNESCAPED: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f' }

/** A TabSeparated string field back to its text (what the engine reads from it). */
export function tsvUnescape(field: string): string {
  return field.includes('\\') ? field.replace(/\\(.)/gs, (_, c: string) => UNESCAPED[c] ?? c) : field
}
