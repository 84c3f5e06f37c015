import { describe, expect, it } from 'vitest'
import { build, ident, join, sql, str, u64, where } from './sql.js'

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
})
