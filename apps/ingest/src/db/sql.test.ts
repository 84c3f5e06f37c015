import { describe, expect, it } from 'vitest'
import { build, chTime, chTimeSeconds, chTimeToMs, ident, join, sql, str, u64, where } from './sql.js'

describe('sql', () => {
  it('binds every value as a typed parameter', () => {
    const q = build(sql`SELECT 1 FROM spans WHERE project_id = ${str("x'; DROP TABLE spans")} LIMIT ${u64(5)}`)
    expect(q.query).toBe('SELECT 1 FROM spans WHERE project_id = {p0:String} LIMIT {p1:UInt64}')
    expect(q.params).toEqual({ p0: "x'; DROP TABLE spans", p1: 5 })
  })

  it('numbers parameters across nested fragments and joins', () => {
    const conds = [sql`a = ${str('1')}`, sql`b = ${str('2')}`]
    const q = build(sql`SELECT * FROM t ${where(conds)} ORDER BY ${ident('a', ['a', 'b'])}`)
    expect(q.query).toBe('SELECT * FROM t WHERE a = {p0:String} AND b = {p1:String} ORDER BY `a`')
    expect(q.params).toEqual({ p0: '1', p1: '2' })
  })

  it('renders nothing for an empty where and refuses unknown identifiers', () => {
    expect(build(sql`SELECT 1 ${where([])}`).query).toBe('SELECT 1 ')
    expect(() => ident('a; DROP', ['a'])).toThrow(/not allowed/)
    expect(build(join([], ',')).query).toBe('')
  })

  it('converts ISO time and epoch ms to the UTC text of the store, one way for every caller', () => {
    expect(chTime('2026-03-01T10:05:00.123Z')).toBe('2026-03-01 10:05:00.123')
    expect(chTime('2026-03-01T12:05:00+02:00')).toBe('2026-03-01 10:05:00.000')
    expect(chTime(Date.UTC(2026, 2, 1, 10, 5, 0, 7))).toBe('2026-03-01 10:05:00.007')
    expect(chTimeSeconds(Date.UTC(2026, 2, 1, 10, 5, 59, 999))).toBe('2026-03-01 10:05:59')
    expect(chTimeToMs('2026-03-01 10:05:00.123')).toBe(Date.UTC(2026, 2, 1, 10, 5, 0, 123))
    expect(chTimeToMs(chTimeSeconds(Date.UTC(2026, 2, 1, 10, 5)))).toBe(Date.UTC(2026, 2, 1, 10, 5))
  })
})
