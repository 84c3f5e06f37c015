/**
 * The line-length rule behind scripts/line-length.test.ts. Biome's formatter keeps code within 120
 * columns but leaves long string and template literals alone; this rule covers them too.
 */
import fs from 'node:fs'
import path from 'node:path'

export const MAX_LINE_LENGTH = 120

/** A line that is only a URL (in a comment or a string) cannot be split without breaking the link. */
const LONE_URL = /^\s*(?:\/\/|\*|\/\*\*)?\s*['"`<]?https?:\/\/\S+?['"`>]?[,;]?$/

/** 1-based numbers of the lines of `text` longer than `limit` characters that the rule does not exempt. */
export function longLines(text: string, limit = MAX_LINE_LENGTH): number[] {
  return text.split('\n').flatMap((line, i) => ([...line].length > limit && !LONE_URL.test(line) ? [i + 1] : []))
}

const SOURCE = /\.(ts|tsx|mjs)$/
const SKIPPED_DIRS = new Set(['node_modules', 'dist'])

/** Every .ts, .tsx and .mjs file (sources, tests, benches, scripts) under `dirs`, relative to `root`. */
export function sourceFilesUnder(root: string, dirs: readonly string[]): string[] {
  const out: string[] = []
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(path.join(dir, entry.name))
      } else if (SOURCE.test(entry.name)) out.push(path.relative(root, path.join(dir, entry.name)))
    }
  }
  for (const dir of dirs) walk(path.join(root, dir))
  return out.sort()
}
