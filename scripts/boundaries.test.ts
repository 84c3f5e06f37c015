/**
 * The dependency directions of AGENTS.md, checked on every test run: each package may import only
 * what its line allows. Imports are read from the source text (static and dynamic).
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  exportedSchemaNames,
  importSpecifiers,
  redeclaredSchemas,
  sqlFindings,
  withoutComments,
} from './source-rules.js'

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
  return importSpecifiers(fs.readFileSync(file, 'utf8'))
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

  it('packages/core is pure: @sightline/schema (and its semconv subpath) only (no I/O, no Node or DOM)', () => {
    const ok = relativeInside('packages/core/src')
    expect(
      violations('packages/core/src', (spec, file) => ok(spec, file) || /^@sightline\/schema(\/semconv)?$/.test(spec)),
    ).toEqual([])
  })

  it('apps/web imports the contract, the domain and its UI libraries, never the server', () => {
    const ui = new RegExp(
      String.raw`^(react|react-dom|react-dom\/client|react\/jsx-runtime|zustand|zustand\/.*|recharts|wouter|` +
        String.raw`wouter\/.*|react-is|@tanstack\/react-virtual|zod|@sightline\/schema|@sightline\/core)$`,
    )
    const ok = relativeInside('apps/web/src')
    expect(violations('apps/web/src', (spec, file) => ok(spec, file) || ui.test(spec))).toEqual([])
  })

  it('packages/sdk needs only @opentelemetry/* and the zod-free subpaths of the contract and domain', () => {
    const ok = relativeInside('packages/sdk/src')
    const allowed = /^(@opentelemetry\/.+|@sightline\/schema\/semconv|@sightline\/core\/redact|node:.+)$/
    expect(violations('packages/sdk/src', (spec, file) => ok(spec, file) || allowed.test(spec))).toEqual([])
  })

  it('product code never imports the test kit (its doubles, e.g. the ClickHouse HTTP front, are for tests)', () => {
    const product = [
      'packages/schema/src',
      'packages/core/src',
      'packages/sdk/src',
      'packages/cli/src',
      'apps/ingest/src',
      'apps/web/src',
      'apps/demo/src',
    ]
    const offenders = product.flatMap((dir) =>
      violations(dir, (spec) => !/^@sightline\/testkit(\/|$)/.test(spec) && !/packages\/testkit\//.test(spec)),
    )
    expect(offenders).toEqual([])
  })

  it('only apps/ingest/src/db talks to ClickHouse', () => {
    const ok = (spec: string, file: string) =>
      !/^(@clickhouse\/client|chdb)(\/|$)/.test(spec) || file.startsWith(path.join(root, 'apps/ingest/src/db'))
    expect(violations('apps/ingest/src', ok)).toEqual([])
  })
})

const ingestSrc = path.join(root, 'apps/ingest/src')
const ingestFiles = () => sourceFiles(ingestSrc)
const withoutCommentsOf = (file: string) => withoutComments(fs.readFileSync(file, 'utf8'))
const inside = (file: string, dir: string) => file.startsWith(path.join(ingestSrc, dir) + path.sep)

describe('ingest layers', () => {
  it('the SQL rule finds the sql template and query strings, and not prose', () => {
    expect(sqlFindings('const q = sql`SELECT 1`')).toEqual(['sql`…` template', 'query string: SELECT 1'])
    expect(
      sqlFindings("store.query({ query: 'SELECT trace_id FROM traces WHERE project_id = {p:String}' })"),
    ).toHaveLength(1)
    expect(sqlFindings('const ddl = "ALTER TABLE spans ADD COLUMN x String"')).toHaveLength(1)
    expect(
      sqlFindings(
        '/** reads `SELECT * FROM traces` */\n// INSERT INTO spans\nconst label = "select a model from the list"',
      ),
    ).toEqual([])
  })

  it('no SQL outside apps/ingest/src/db (repositories own every query; other layers call them)', () => {
    const offenders = ingestFiles()
      .filter((file) => !inside(file, 'db'))
      .flatMap((file) =>
        sqlFindings(fs.readFileSync(file, 'utf8')).map((finding) => `${path.relative(root, file)}: ${finding}`),
      )
    expect(offenders).toEqual([])
  })

  it('no upward imports: only app.ts mounts routes/, and db/ and env.ts import no layer above them', () => {
    const above = ['routes', 'middleware', 'grpc', 'app.js', 'server.js', 'deps.js', 'index.js']
    const importsAbove = (file: string) =>
      importsOf(file).filter((spec) => {
        if (!spec.startsWith('.')) return false
        const target = path.relative(ingestSrc, path.resolve(path.dirname(file), spec))
        return above.some((layer) => target === layer || target.startsWith(`${layer}/`))
      })
    const routeImporters = ingestFiles()
      .filter((file) => !inside(file, 'routes') && path.relative(ingestSrc, file) !== 'app.ts')
      .flatMap((file) =>
        importsAbove(file)
          .filter((spec) => /(^|\/)routes\//.test(spec))
          .map((spec) => `${path.relative(root, file)}: ${spec}`),
      )
    const lowLayers = ingestFiles()
      .filter((file) => inside(file, 'db') || path.relative(ingestSrc, file) === 'env.ts')
      .flatMap((file) => importsAbove(file).map((spec) => `${path.relative(root, file)}: ${spec}`))
    expect([...routeImporters, ...lowLayers]).toEqual([])
  })

  it('ISO → ClickHouse time is converted in src/db/sql.ts (chTime) only; the rest is a shrinking ratchet', () => {
    // ids-and-time.ts writes nanosecond text from OTLP.
    const known = ['otlp/normalize/ids-and-time.ts']
    const copies = ingestFiles()
      .filter((file) => /\.replace\(\s*'T'\s*,\s*' '\s*\)/.test(withoutCommentsOf(file)))
      .map((file) => path.relative(ingestSrc, file))
      .filter((file) => file !== 'db/sql.ts')
      .sort()
    expect(copies).toEqual(known)
  })
})

describe('one contract', () => {
  const contract = new Set(
    sourceFiles(path.join(root, 'packages/schema/src')).flatMap((file) =>
      exportedSchemaNames(fs.readFileSync(file, 'utf8')),
    ),
  )

  it('the rule finds a re-declared contract schema and an inline envelope, and not a local schema', () => {
    expect(contract.has('GetTraceResponseSchema')).toBe(true)
    expect(
      redeclaredSchemas('const GetTraceResponseSchema = z.object({ trace: TraceSchema })', contract, false),
    ).toEqual(['GetTraceResponseSchema re-declared'])
    expect(redeclaredSchemas("request('save', '/x', z.object({ config: ScoreConfigSchema }))", contract, true)).toEqual(
      ['z.object in an API module'],
    )
    expect(redeclaredSchemas('const LayoutStateSchema = z.object({ open: z.boolean() })', contract, false)).toEqual([])
  })

  it('the console declares no schema the contract owns: it imports them from @sightline/schema', () => {
    const offenders = sourceFiles(path.join(root, 'apps/web/src')).flatMap((file) => {
      const rel = path.relative(path.join(root, 'apps/web/src'), file)
      const isApiModule = rel.startsWith('api/') || /-api\.ts$/.test(rel)
      return redeclaredSchemas(fs.readFileSync(file, 'utf8'), contract, isApiModule).map(
        (finding) => `apps/web/src/${rel}: ${finding}`,
      )
    })
    expect(offenders).toEqual([])
  })
})

/** Every .ts, .tsx and .mjs file of a package (sources, tests, benches), tests included. */
function allFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist') continue
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...allFiles(full))
    else if (/\.(ts|tsx|mjs)$/.test(entry.name)) out.push(full)
  }
  return out
}

/** Relative imports of `source` (a file at `file` inside package folder `pkg`) that leave the package. */
function importsLeaving(pkg: string, file: string, source: string): string[] {
  return importSpecifiers(source).filter(
    (spec) => spec.startsWith('.') && !path.resolve(path.dirname(file), spec).startsWith(pkg + path.sep),
  )
}

describe('packages meet by name', () => {
  it('the rule finds a relative import that leaves its package, static or dynamic, and not one inside it', () => {
    const pkg = path.join(root, 'apps/demo')
    const file = path.join(pkg, 'test/fleet.int.test.ts')
    const source = [
      "import { startTestServer } from '../../ingest/test/helpers/server.js'",
      "import { startFleet } from '../src/fleet.js'",
      "import { startFleet as again } from '@sightline/demo/fleet'",
      "const { sql } = await import('../../ingest/src/db/sql.js')",
      "// import { x } from '../../web/src/x.js'",
    ].join('\n')
    expect(importsLeaving(pkg, file, source)).toEqual([
      '../../ingest/test/helpers/server.js',
      '../../ingest/src/db/sql.js',
    ])
    // A sibling folder whose name starts like the package's is another package.
    expect(importsLeaving(pkg, file, "import { x } from '../../demo-extra/src/x.js'")).toEqual([
      '../../demo-extra/src/x.js',
    ])
  })

  it('tests, benches and sources import another package by its name, never by a relative path into it', () => {
    const packages = ['apps', 'packages'].flatMap((dir) =>
      fs.readdirSync(path.join(root, dir)).map((name) => path.join(root, dir, name)),
    )
    // What another package needs is an export of its own (@sightline/ingest/testing, @sightline/testkit/corpus).
    const offenders = packages.flatMap((pkg) =>
      allFiles(pkg).flatMap((file) =>
        importsLeaving(pkg, file, fs.readFileSync(file, 'utf8')).map((spec) => `${path.relative(root, file)}: ${spec}`),
      ),
    )
    expect(offenders).toEqual([])
  })
})
