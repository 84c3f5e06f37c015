/**
 * The only way to build SQL here. Values are always bound as ClickHouse `{name:Type}` parameters;
 * identifiers come from allow-lists; there is deliberately no raw-string escape hatch.
 *
 * @example
 *   const q = sql`SELECT count() FROM spans WHERE project_id = ${str(projectId)}`
 *   await client.query({ query: q.query, query_params: q.params })
 */
export type ParamType =
  | 'String'
  | 'UInt32'
  | 'UInt64'
  | 'Int64'
  | 'Float64'
  | 'Bool'
  | "DateTime64(9, 'UTC')"
  | "DateTime64(3, 'UTC')"
  | 'Array(String)'

export class Param {
  constructor(
    readonly type: ParamType,
    readonly value: unknown,
  ) {}
}

export class Identifier {
  constructor(readonly name: string) {}
}

export class SqlFragment {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly SqlValue[],
  ) {}
}

export type SqlValue = Param | Identifier | SqlFragment

export interface BuiltQuery {
  query: string
  params: Record<string, unknown>
}

export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): SqlFragment {
  return new SqlFragment([...strings], values)
}

export const str = (value: string) => new Param('String', value)
export const u64 = (value: number) => new Param('UInt64', value)
export const f64 = (value: number) => new Param('Float64', value)
export const strArray = (value: string[]) => new Param('Array(String)', value)
/** Nanosecond precision is kept by passing DateTime64 as text, never as a JS Date. */
export const dt64 = (value: string) => new Param("DateTime64(9, 'UTC')", value)

/** An identifier (column or table) that must be one of `allowed`. */
export function ident<const T extends string>(name: string, allowed: readonly T[]): Identifier {
  if (!(allowed as readonly string[]).includes(name)) throw new Error(`identifier not allowed: ${name}`)
  return new Identifier(name)
}

export function join(fragments: readonly SqlFragment[], separator: string): SqlFragment {
  if (fragments.length === 0) return sql``
  const strings: string[] = ['']
  const values: SqlValue[] = []
  fragments.forEach((fragment, index) => {
    if (index > 0) strings[strings.length - 1] += separator
    values.push(fragment)
    strings.push('')
  })
  return new SqlFragment(strings, values)
}

/** `WHERE a AND b ...`, or nothing when there are no conditions. */
export function where(conditions: readonly SqlFragment[]): SqlFragment {
  return conditions.length === 0 ? sql`` : sql`WHERE ${join(conditions, ' AND ')}`
}

export function build(fragment: SqlFragment): BuiltQuery {
  const params: Record<string, unknown> = {}
  let counter = 0
  const render = (f: SqlFragment): string => {
    let out = f.strings[0] ?? ''
    f.values.forEach((value, index) => {
      if (value instanceof SqlFragment) out += render(value)
      else if (value instanceof Identifier) out += `\`${value.name}\``
      else {
        const name = `p${counter++}`
        params[name] = value.value
        out += `{${name}:${value.type}}`
      }
      out += f.strings[index + 1] ?? ''
    })
    return out
  }
  return { query: render(fragment), params }
}

/**
 * The one conversion between the API's time and the store's: ISO-8601 (or epoch ms) → DateTime64 text in
 * UTC, `2026-03-01 10:05:00.123`, which ClickHouse reads in a String parameter or `toDateTime64(…, 3, 'UTC')`.
 * Going through Date normalises offsets (`+02:00`) to UTC; millisecond precision is what every bound needs.
 */
export function chTime(at: string | number): string {
  return new Date(at).toISOString().replace('T', ' ').replace('Z', '')
}

/** The same to the second (`2026-03-01 10:05:00`), for `toDateTime` and the whole-second buckets of the rollups. */
export const chTimeSeconds = (at: string | number) => chTime(at).slice(0, 19)

/** DateTime text as ClickHouse returns it (UTC, optional fraction) → epoch ms. */
export const chTimeToMs = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`)
