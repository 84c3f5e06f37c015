/**
 * The dependency directions of AGENTS.md, checked on every test run: each package may import only
 * what its line allows. Imports are read from the source text (static and dynamic).
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const root = path.resolve(import.meta.dirname, '..')

function sourceFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...sourceFiles(full))
    else if (/\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(full)
  }
  return out
}

/** Comments and template literals go first: generated code and examples are not imports. */
function importsOf(file: string): string[] {
  const text = fs
    .readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/`[^`]*`/g, '``')
    .replace(/^\s*\/\/.*$/gm, '')
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]!)
  return specs
}

/** Imports of `dir`'s production sources that `allowed` rejects, as "file: spec". */
function violations(dir: string, allowed: (spec: string, file: string) => boolean): string[] {
  return sourceFiles(path.join(root, dir)).flatMap((file) =>
    importsOf(file)
      .filter((spec) => !allowed(spec, file))
      .map((spec) => `${path.relative(root, file)}: ${spec}`),
  )
}

const relativeInside = (dir: string) => (spec: string, file: string) =>
  spec.startsWith('.') && path.resolve(path.dirname(file), spec).startsWith(path.join(root, dir))

describe('package boundaries', () => {
  it('packages/schema imports zod only (no I/O, no Node or DOM)', () => {
    const ok = relativeInside('packages/schema/src')
    expect(violations('packages/schema/src', (spec, file) => ok(spec, file) || spec === 'zod')).toEqual([])
  })

  it('packages/core is pure: @sightline/schema only (no I/O, no Node or DOM)', () => {
    const ok = relativeInside('packages/core/src')
    expect(violations('packages/core/src', (spec, file) => ok(spec, file) || spec === '@sightline/schema' || spec.startsWith('@sightline/schema/'))).toEqual([])
  })

  it('apps/web imports the contract, the domain and its UI libraries, never the server', () => {
    const ui = /^(react|react-dom|react-dom\/client|react\/jsx-runtime|zustand|zustand\/.*|recharts|wouter|wouter\/.*|react-is|@tanstack\/react-virtual|zod|@sightline\/schema|@sightline\/core)$/
    const ok = relativeInside('apps/web/src')
    expect(violations('apps/web/src', (spec, file) => ok(spec, file) || ui.test(spec))).toEqual([])
  })

  it('packages/sdk needs only @opentelemetry/* and the zod-free subpaths of the contract and domain', () => {
    const ok = relativeInside('packages/sdk/src')
    const allowed = /^(@opentelemetry\/.+|@sightline\/schema\/semconv|@sightline\/core\/redact|node:.+)$/
    expect(violations('packages/sdk/src', (spec, file) => ok(spec, file) || allowed.test(spec))).toEqual([])
  })

  it('product code never imports the test kit (its doubles, e.g. the ClickHouse HTTP front, are for tests only)', () => {
    const product = ['packages/schema/src', 'packages/core/src', 'packages/sdk/src', 'packages/cli/src', 'apps/ingest/src', 'apps/web/src', 'apps/demo/src']
    const offenders = product.flatMap((dir) => violations(dir, (spec) => !/^@sightline\/testkit(\/|$)/.test(spec) && !/packages\/testkit\//.test(spec)))
    expect(offenders).toEqual([])
  })

  it('only apps/ingest/src/db talks to ClickHouse', () => {
    const ok = (spec: string, file: string) =>
      !/^(@clickhouse\/client|chdb)(\/|$)/.test(spec) || file.startsWith(path.join(root, 'apps/ingest/src/db'))
    expect(violations('apps/ingest/src', ok)).toEqual([])
  })
})
