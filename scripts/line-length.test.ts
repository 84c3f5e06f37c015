/**
 * No line over MAX_LINE_LENGTH characters in the .ts, .tsx and .mjs files (sources, tests, benches,
 * scripts); a line that is only a URL is exempt.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { longLines, MAX_LINE_LENGTH, sourceFilesUnder } from './line-length.js'

const root = path.resolve(import.meta.dirname, '..')

describe('line length', () => {
  it('finds a long line, counts characters rather than bytes, and lets a lone URL through', () => {
    expect(longLines(`const a = 1\nconst b = '${'x'.repeat(120)}'\n`)).toEqual([2])
    expect(longLines(`const s = '${'é'.repeat(100)}'`)).toEqual([])
    expect(longLines(` * https://example.com/${'a'.repeat(130)}`)).toEqual([])
    expect(longLines(`  '${'a'.repeat(100)} https://example.com/${'a'.repeat(30)}',`)).toEqual([1])
  })

  it(`has no line over ${MAX_LINE_LENGTH} characters in any source, test, bench or script`, () => {
    const found: Record<string, number> = {}
    for (const file of sourceFilesUnder(root, ['apps', 'packages', 'scripts'])) {
      const count = longLines(fs.readFileSync(path.join(root, file), 'utf8')).length
      if (count > 0) found[file] = count
    }
    for (const file of fs.readdirSync(root).filter((name) => /\.(ts|mjs)$/.test(name))) {
      const count = longLines(fs.readFileSync(path.join(root, file), 'utf8')).length
      if (count > 0) found[file] = count
    }
    expect(found).toEqual({})
  })
})
