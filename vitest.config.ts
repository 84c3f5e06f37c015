import { defineConfig } from 'vitest/config'

/**
 * One run covers every package; `source` resolves workspace packages to their TypeScript sources.
 * Tests come in tiers (projects), by file name: `*.test.ts(x)` are unit tests (no store, no browser,
 * no child processes: `pnpm test:unit`), `*.int.test.ts` run against the real embedded store or real
 * processes (`pnpm test:int`), `*.e2e.test.ts` drive the console in Chromium (`pnpm test:e2e`).
 * `int-server` runs the ingest integration tests again with the store behind CLICKHOUSE_URL (a
 * ClickHouse HTTP front over chDB, packages/testkit), except those about the embedded engine itself
 * (EMBEDDED_ONLY) and two long input generators (SERVER_SKIPPED_FOR_TIME). `pnpm test` runs every
 * project (what CI runs).
 */
const UNIT = ['scripts/**/*.test.ts', '{apps,packages}/*/{src,test}/**/*.test.{ts,tsx}']
const NOT_UNIT = ['**/*.int.test.ts', '**/*.e2e.test.ts', '**/node_modules/**']
/**
 * Not run again against a server: the priority of chDB's threads inside the server's process (there
 * are none with a server), and the cluster DDL check (it only asks chDB to parse statements).
 */
const EMBEDDED_ONLY = [
  'apps/ingest/test/edge/store-threads.int.test.ts',
  'apps/ingest/test/store/cluster-ddl.int.test.ts',
]
/**
 * Left out of `int-server` for CI time (85 s and 79 s against the front, 164 of the project's 337 s
 * of test time on the 2-core machine): the seeded fuzzer and the storability property test generate edge-case
 * input; what they check of the store (refused rows split, quarantined, every acknowledged span
 * stored) runs against the server in poison/quarantine, reproduction and mixed-stream.
 */
/** Starts its own ClickHouse front and replicas: the server setting is what it tests already. */
const OWN_STORE = ['apps/ingest/test/replicas/**']
const SERVER_SKIPPED_FOR_TIME = [
  'apps/ingest/test/poison/fuzz.int.test.ts',
  'apps/ingest/test/poison/storable.property.int.test.ts',
]

export default defineConfig({
  resolve: { conditions: ['@sightline/source'] },
  ssr: { resolve: { conditions: ['@sightline/source'] } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    projects: [
      // Threads start faster than forks; unit tests hold no store (libchdb binds one data dir per process).
      // No isolation: a worker imports each module once for all its files instead of once per file (the
      // import phase was two thirds of the tier's CPU time), so unit tests must not leave global state behind.
      {
        extends: true,
        test: { name: 'unit', include: UNIT, exclude: NOT_UNIT, pool: 'threads', isolate: false },
      },
      { extends: true, test: { name: 'int', include: ['{apps,packages}/*/{src,test}/**/*.int.test.ts'] } },
      {
        extends: true,
        // Every query is an HTTP round trip to the front's process: slower on a loaded 2-core machine.
        test: {
          name: 'int-server',
          include: ['apps/ingest/test/**/*.int.test.ts'],
          exclude: [...EMBEDDED_ONLY, ...OWN_STORE, ...SERVER_SKIPPED_FOR_TIME],
          env: { SIGHTLINE_TEST_STORE: 'server' },
          testTimeout: 180_000,
        },
      },
      { extends: true, test: { name: 'e2e', include: ['apps/web/e2e/**/*.e2e.test.ts'] } },
    ],
  },
})
