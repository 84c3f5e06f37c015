/**
 * Exceptions the way a ClickHouse server reports them over HTTP: the text
 * `Code: N. DB::Exception: <message>. (NAME) (version X)` in the body, the code in
 * `X-ClickHouse-Exception-Code`, and an HTTP status chosen from the exception's name.
 *
 * The status table is ClickHouse's own (src/Server/HTTP/exceptionCodeToHTTPStatus.cpp, 26.x),
 * keyed by name: the engine's messages end with `(NAME)`, so no number table is needed for them.
 * Codes are listed only for the exceptions the front raises itself (HTTP layer, sessions, auth),
 * with the numbers of src/Common/ErrorCodes.cpp.
 */

const BY_NAME: ReadonlyArray<[number, readonly string[]]> = [
  [401, ['REQUIRED_PASSWORD']],
  [403, ['UNKNOWN_USER', 'WRONG_PASSWORD', 'AUTHENTICATION_FAILED', 'SET_NON_GRANTED_ROLE', 'ACCESS_DENIED']],
  [
    400,
    [
      'BAD_ARGUMENTS',
      'CANNOT_COMPILE_REGEXP',
      'CANNOT_PARSE_TEXT',
      'CANNOT_PARSE_ESCAPE_SEQUENCE',
      'CANNOT_PARSE_QUOTED_STRING',
      'CANNOT_PARSE_DATE',
      'CANNOT_PARSE_DATETIME',
      'CANNOT_PARSE_NUMBER',
      'CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING',
      'CANNOT_PARSE_IPV4',
      'CANNOT_PARSE_IPV6',
      'CANNOT_PARSE_INPUT_ASSERTION_FAILED',
      'CANNOT_PARSE_UUID',
      'DUPLICATE_COLUMN',
      'ILLEGAL_COLUMN',
      'UNKNOWN_ELEMENT_IN_AST',
      'UNKNOWN_TYPE_OF_AST_NODE',
      'THERE_IS_NO_COLUMN',
      'TOO_DEEP_AST',
      'TOO_BIG_AST',
      'UNEXPECTED_AST_STRUCTURE',
      'SYNTAX_ERROR',
      'INCORRECT_DATA',
      'TYPE_MISMATCH',
      'VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE',
    ],
  ],
  [
    404,
    [
      'UNKNOWN_TABLE',
      'UNKNOWN_FUNCTION',
      'UNKNOWN_IDENTIFIER',
      'UNKNOWN_TYPE',
      'UNKNOWN_STORAGE',
      'UNKNOWN_DATABASE',
      'UNKNOWN_SETTING',
      'UNKNOWN_DIRECTION_OF_SORTING',
      'UNKNOWN_AGGREGATE_FUNCTION',
      'UNKNOWN_FORMAT',
      'UNKNOWN_DATABASE_ENGINE',
      'UNKNOWN_TYPE_OF_QUERY',
      'UNKNOWN_ROLE',
    ],
  ],
  [413, ['QUERY_IS_TOO_LARGE']],
  [501, ['NOT_IMPLEMENTED']],
  [503, ['SOCKET_TIMEOUT', 'CANNOT_OPEN_FILE', 'CANNOT_SCHEDULE_TASK']],
  [411, ['HTTP_LENGTH_REQUIRED']],
  [408, ['TIMEOUT_EXCEEDED']],
  [415, ['UNSUPPORTED_MEDIA_TYPE']],
]

const STATUS_BY_NAME = new Map(BY_NAME.flatMap(([status, names]) => names.map((name) => [name, status] as const)))

/** The exceptions the front raises itself (the engine raises the others). */
const CODES = {
  NOT_IMPLEMENTED: 48,
  UNKNOWN_SETTING: 115,
  UNKNOWN_COMPRESSION_METHOD: 89,
  BAD_ARGUMENTS: 36,
  REQUIRED_PASSWORD: 194,
  SESSION_NOT_FOUND: 372,
  SESSION_IS_LOCKED: 373,
  INVALID_SESSION_TIMEOUT: 374,
  HTTP_LENGTH_REQUIRED: 381,
  AUTHENTICATION_FAILED: 516,
  STD_EXCEPTION: 1001,
} as const

export type ExceptionName = keyof typeof CODES

export class ClickHouseException extends Error {
  constructor(
    readonly code: number,
    readonly exceptionName: string,
    message: string,
  ) {
    super(message)
    this.name = 'ClickHouseException'
  }

  static of(name: ExceptionName, message: string): ClickHouseException {
    return new ClickHouseException(CODES[name], name, message)
  }

  /** The HTTP status a server answers this exception with. */
  get httpStatus(): number {
    return STATUS_BY_NAME.get(this.exceptionName) ?? 500
  }

  /** The body text, as the server writes it (without the trailing newline). */
  text(version: string): string {
    const body = this.message.startsWith('Code: ')
      ? this.message
      : `Code: ${this.code}. DB::Exception: ${this.message}. (${this.exceptionName})`
    return body.includes('(version ') ? body : `${body} (version ${version})`
  }
}

/**
 * An engine error as an exception: chDB throws `Error("Code: 60. DB::Exception: … (UNKNOWN_TABLE)")`.
 * Anything without that shape is an internal error of the front (STD_EXCEPTION, 500), never a
 * client's fault.
 */
export function fromEngineError(error: unknown): ClickHouseException {
  if (error instanceof ClickHouseException) return error
  const message = error instanceof Error ? error.message : String(error)
  const code = /^Code: (\d+)\./.exec(message)
  // The name is the last `(NAME)` before the end (or before a `(version …)` suffix).
  const name = /\(([A-Z][A-Z0-9_]{2,})\)(?:\s*\(version [^)]*\))?\s*$/.exec(message)
  if (!code || !name) return ClickHouseException.of('STD_EXCEPTION', `front: ${message}`)
  return new ClickHouseException(Number(code[1]), name[1]!, message.trimEnd())
}
