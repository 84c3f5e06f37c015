/**
 * What an insert error means for the rows in it. The reason we keep and log is the ClickHouse error
 * name and code (`DECIMAL_OVERFLOW (407)`), never the exception text: parse errors quote the
 * offending row ("parsed text: …"), and rows hold prompts, which are user data.
 */

/** Errors a row's own values cause: the same rows are refused every time. */
const ROW_ERRORS: Record<number, string> = {
  6: 'CANNOT_PARSE_TEXT',
  25: 'CANNOT_PARSE_ESCAPE_SEQUENCE',
  26: 'CANNOT_PARSE_QUOTED_STRING',
  27: 'CANNOT_PARSE_INPUT_ASSERTION_FAILED',
  32: 'ATTEMPT_TO_READ_AFTER_EOF',
  38: 'CANNOT_PARSE_DATE',
  41: 'CANNOT_PARSE_DATETIME',
  53: 'TYPE_MISMATCH',
  69: 'ARGUMENT_OUT_OF_BOUND',
  70: 'CANNOT_CONVERT_TYPE',
  72: 'CANNOT_PARSE_NUMBER',
  117: 'INCORRECT_DATA',
  131: 'TOO_LARGE_STRING_SIZE',
  321: 'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE',
  407: 'DECIMAL_OVERFLOW',
}

/** The store is busy, short of memory or disk, or unreachable: retry the same insert later. */
const TRANSIENT_ERRORS: Record<number, string> = {
  159: 'TIMEOUT_EXCEEDED',
  202: 'TOO_MANY_SIMULTANEOUS_QUERIES',
  209: 'SOCKET_TIMEOUT',
  210: 'NETWORK_ERROR',
  236: 'ABORTED',
  241: 'MEMORY_LIMIT_EXCEEDED',
  242: 'TABLE_IS_READ_ONLY',
  243: 'NOT_ENOUGH_SPACE',
  394: 'QUERY_WAS_CANCELLED',
}

/**
 * TOO_MANY_PARTS (252) is both "more than 100 partitions (months) in one insert block", which a
 * smaller range fixes, and "too many parts, merges are behind", which waiting fixes. A range gets
 * split; a single row (one partition) is never quarantined for it.
 */
const SPLIT_BUT_NEVER_QUARANTINE = 252

export interface StoreRefusal {
  /** `row`: values the store refuses; `transient`: retry as is; `range`: split, but a row alone is retried. */
  kind: 'row' | 'transient' | 'range' | 'unknown'
  /** `NAME (code)`, safe to store, log and show: no row data. */
  reason: string
  /** Bounded metric label. */
  name: string
}

export function classifyStoreError(error: unknown): StoreRefusal {
  const code = errorCode(error)
  if (code === undefined) return { kind: 'unknown', reason: 'UNKNOWN', name: 'UNKNOWN' }
  const known = ROW_ERRORS[code] ?? TRANSIENT_ERRORS[code]
  const name = known ?? errorName(error) ?? 'UNKNOWN'
  const reason = `${name} (${code})`
  if (ROW_ERRORS[code]) return { kind: 'row', reason, name }
  if (TRANSIENT_ERRORS[code]) return { kind: 'transient', reason, name }
  if (code === SPLIT_BUT_NEVER_QUARANTINE) return { kind: 'range', reason, name }
  return { kind: 'unknown', reason, name }
}

/** chDB errors carry `clickhouseCode`; the HTTP client's `ClickHouseError` a numeric `code` string. */
function errorCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { clickhouseCode, code } = error as { clickhouseCode?: unknown; code?: unknown }
  if (typeof clickhouseCode === 'number' && Number.isInteger(clickhouseCode)) return clickhouseCode
  if (typeof code === 'string' && /^\d{1,5}$/.test(code)) return Number(code)
  return undefined
}

/**
 * ClickHouse ends every exception text with `(NAME)` after the row excerpt and the version, so only
 * the anchored tail is read, and only an identifier is taken from it.
 */
function errorName(error: unknown): string | undefined {
  const { type, message } = error as { type?: unknown; message?: unknown }
  if (typeof type === 'string' && /^[A-Z][A-Z0-9_]{2,63}$/.test(type)) return type
  if (typeof message !== 'string') return undefined
  return /\(([A-Z][A-Z0-9_]{2,63})\)\s*$/.exec(message)?.[1]
}
