import { describe, expect, it } from 'vitest'
import { ClickHouseException, fromEngineError } from './exceptions.js'
import { readQueryRequest } from './request.js'

const read = (search: string, body = '', headers: Record<string, string> = {}, method = 'POST') =>
  readQueryRequest(method, new URL(`http://front/${search}`), headers, Buffer.from(body))

describe('readQueryRequest', () => {
  it('splits parameters into bound values, settings, HTTP-layer settings and reserved names', () => {
    const request = read(
      '?query_id=q1&param_a=x%27y&max_threads=1&enable_http_compression=1&wait_end_of_query=1&database=d' +
        '&default_format=CSV',
      'SELECT {a:String}',
    )
    expect(request).toMatchObject({
      text: 'SELECT {a:String}',
      params: { a: "x'y" },
      settings: { max_threads: '1' },
      httpSettings: { enable_http_compression: '1' },
      database: 'd',
      defaultFormat: 'CSV',
      queryId: 'q1',
      readOnly: false,
    })
    expect(request.insert).toBeUndefined()
  })

  it('keeps the rows of `INSERT … FORMAT` as bytes; joins any other URL query to its body with a line break', () => {
    const insert = read(`?query=${encodeURIComponent('INSERT INTO t (a) FORMAT JSONEachRow')}`, '{"a":1}\n')
    expect(insert.insert?.statement).toBe('INSERT INTO t (a) FORMAT JSONEachRow')
    expect(insert.insert?.data.toString()).toBe('{"a":1}\n')
    expect(read(`?query=${encodeURIComponent('SELECT 1 +')}`, '2').text).toBe('SELECT 1 +\n2')
  })

  it('reads credentials from exactly one scheme', () => {
    expect(read('?user=u&password=p').credentials).toEqual({ user: 'u', password: 'p' })
    expect(read('', '', { authorization: `Basic ${Buffer.from('u:p:q').toString('base64')}` }).credentials).toEqual({
      user: 'u',
      password: 'p:q',
    })
    expect(read('', '', { 'x-clickhouse-user': 'u', 'x-clickhouse-key': 'k' }).credentials).toEqual({
      user: 'u',
      password: 'k',
    })
    expect(read('').credentials).toEqual({ user: 'default', password: '' })
    expect(() => read('?user=u', '', { authorization: 'Basic dTpw' })).toThrow(ClickHouseException)
    expect(() => read('', '', { authorization: 'Bearer abc' })).toThrow(/not supported/)
  })

  it('reads sessions and refuses bad timeouts', () => {
    expect(read('?session_id=s&session_timeout=5&session_check=1').session).toEqual({
      id: 's',
      timeoutS: 5,
      check: true,
      close: false,
    })
    expect(() => read('?session_id=s&session_timeout=abc')).toThrow(/Invalid session timeout/)
    expect(() => read('?session_id=s&session_timeout=3601')).toThrow(/max_session_timeout/)
  })

  it('marks GET read-only and refuses what it does not emulate', () => {
    expect(read('?query=SELECT%201', '', {}, 'GET').readOnly).toBe(true)
    expect(() => read('?decompress=1', 'x')).toThrow(/not emulated/)
    expect(() => read('', 'x', { 'content-type': 'multipart/form-data; boundary=b' })).toThrow(/not emulated/)
  })
})

describe('exceptions', () => {
  it('reads the code and name of an engine error, and maps the name to the server status', () => {
    const e = fromEngineError(
      new Error("Code: 60. DB::Exception: Unknown table expression identifier 'x'. (UNKNOWN_TABLE)"),
    )
    expect([e.code, e.exceptionName, e.httpStatus]).toEqual([60, 'UNKNOWN_TABLE', 404])
    expect(e.text('26.7.2.1')).toBe(
      "Code: 60. DB::Exception: Unknown table expression identifier 'x'. (UNKNOWN_TABLE) (version 26.7.2.1)",
    )
    expect(fromEngineError(new Error('Code: 62. DB::Exception: Syntax error. (SYNTAX_ERROR)')).httpStatus).toBe(400)
    expect(fromEngineError(new Error('socket hang up'))).toMatchObject({
      code: 1001,
      exceptionName: 'STD_EXCEPTION',
      httpStatus: 500,
    })
    expect(ClickHouseException.of('AUTHENTICATION_FAILED', 'u: Authentication failed').text('1')).toBe(
      'Code: 516. DB::Exception: u: Authentication failed. (AUTHENTICATION_FAILED) (version 1)',
    )
  })
})
