import { defineConfig } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * One run covers every package; `source` resolves workspace packages to their TypeScript sources.
 * Tests come in tiers (projects), by file name: `*.test.ts(x)` are unit tests (no store, no browser,
 * no child processes: `pnpm test:unit`), `*.int.test.ts` run against the real embedded store or real
 * processes (`pnpm test:int`), `*.e2e.test.ts` drive the console in Chromium (`pnpm test:e2e`).
 * `int-server` runs the ingest integration tests again with the store behind CLICKHOUSE_URL (a
 * ClickHouse HTTP front over chDB, packages/testkit), except those about the embedded engine itself
 * (EMBEDDED_ONLY), two long input generators (SERVER_SKIPPED_FOR_TIME) and those whose subject lies in
 * front of the store (SERVER_SAME_AS_EMBEDDED). `pnpm test` runs every project (what CI runs): unit,
 * then int and int-server together on two workers, then the responsiveness tests one file at a time
 * (RESPONSIVENESS), then e2e; the suite's budget in CI is 20 minutes on a 2-core machine.
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
/** Starts its own ClickHouse front and replicas: the server setting is what it tests already. */
const OWN_STORE = ['apps/ingest/test/replicas/**']
/**
 * Left out of `int-server` for CI time (85 s and 79 s against the front, 164 of the project's 337 s
 * of test time on the 2-core machine): the seeded fuzzer and the storability property test generate edge-case
 * input; what they check of the store (refused rows split, quarantined, every acknowledged span
 * stored) runs against the server in poison/quarantine, reproduction and mixed-stream.
 */
const SERVER_SKIPPED_FOR_TIME = [
  'apps/ingest/test/poison/fuzz.int.test.ts',
  'apps/ingest/test/poison/storable.property.int.test.ts',
]
/**
 * What these test lies in front of the store, so a second run over HTTP proves nothing more (48 s of
 * the project's test time): the edge's body and connection limits (decoding, caps, sockets, the key
 * cache's lookup budget), the exporters' encodings and retry loops over HTTP and gRPC, the span shapes of
 * real instrumentation libraries (normalised before the writer), and browser-safety headers. Each stores
 * through the same writer and reads back through the same queries as corpus-contract, mixed-stream and
 * query-api, which do run against the server. Kept there: bad-input (its store-down cases close the
 * store's client, a different path over HTTP), sessions (kept in the store), file-modes (no store
 * directory with a server).
 */
const SERVER_SAME_AS_EMBEDDED = [
  'apps/ingest/test/edge/body-limits.int.test.ts',
  'apps/ingest/test/edge/connection-limits.int.test.ts',
  'apps/ingest/test/live/otel-exporters.int.test.ts',
  'apps/ingest/test/live/otlp-grpc.int.test.ts',
  'apps/ingest/test/live/instrumentations.int.test.ts',
  'apps/ingest/test/security/browser-safety.int.test.ts',
]

/**
 * `int` and `int-server` share one pool of two workers: their files mostly wait (child processes,
 * the demo fleet on demo time, HTTP round trips), a single worker kept one of the two cores idle.
 */
const INT_WORKERS = 2
/**
 * Tests of the server's responsiveness under abuse (a median /healthz under 100 ms while a bomb is
 * decoded or heavy queries run, slow sockets closed on time): a neighbour file on the same two cores
 * would measure itself, not the server. They run after the shared pool, one file at a time
 * (`int-alone`, `int-server-alone`).
 */
const RESPONSIVENESS = [
  'apps/ingest/test/edge/body-limits.int.test.ts',
  'apps/ingest/test/edge/connection-limits.int.test.ts',
  'apps/ingest/test/edge/query-load.int.test.ts',
]
/**
 * Run first in their group, so that no worker is left with a long file once the others are done: the
 * demo fleet on demo time (over 3 minutes of wall time whatever the load), then the crash tests.
 * Without a results cache (a fresh CI clone) vitest would otherwise keep the files' glob order.
 */
const LONG_FIRST = ['apps/demo/test/incidents.int.test.ts', 'apps/ingest/test/edge/durability.int.test.ts']

class LongFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (spec: TestSpecification) => {
      const at = LONG_FIRST.findIndex((file) => spec.moduleId.endsWith(file))
      return at < 0 ? LONG_FIRST.length : at
    }
    const group = (spec: TestSpecification) => spec.project.config.sequence.groupOrder
    const sorted = (await super.sort(files)).map((spec, index) => ({ spec, index }))
    sorted.sort((a, b) => group(a.spec) - group(b.spec) || rank(a.spec) - rank(b.spec) || a.index - b.index)
    return sorted.map(({ spec }) => spec)
  }
}

export default defineConfig({
  resolve: { conditions: ['@sightline/source'] },
  ssr: { resolve: { conditions: ['@sightline/source'] } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    sequence: { sequencer: LongFirstSequencer },
    // Projects run group after group (`sequence.groupOrder`), each group with its own number of workers.
    projects: [
      // Threads start faster than forks; unit tests hold no store (libchdb binds one data dir per process).
      // No isolation: a worker imports each module once for all its files instead of once per file (the
      // import phase was two thirds of the tier's CPU time), so unit tests must not leave global state behind.
      {
        extends: true,
        test: {
          name: 'unit',
          include: UNIT,
          exclude: NOT_UNIT,
          pool: 'threads',
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'int',
          include: ['{apps,packages}/*/{src,test}/**/*.int.test.ts'],
          exclude: RESPONSIVENESS,
          maxWorkers: INT_WORKERS,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: { name: 'int-alone', include: RESPONSIVENESS, maxWorkers: 1, sequence: { groupOrder: 2 } },
      },
      {
        extends: true,
        // Every query is an HTTP round trip to the front's process: slower on a loaded 2-core machine.
        test: {
          name: 'int-server',
          include: ['apps/ingest/test/**/*.int.test.ts'],
          exclude: [
            ...EMBEDDED_ONLY,
            ...OWN_STORE,
            ...SERVER_SKIPPED_FOR_TIME,
            ...SERVER_SAME_AS_EMBEDDED,
            ...RESPONSIVENESS,
          ],
          env: { SIGHTLINE_TEST_STORE: 'server' },
          testTimeout: 180_000,
          maxWorkers: INT_WORKERS,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'int-server-alone',
          include: RESPONSIVENESS.filter((file) => !SERVER_SAME_AS_EMBEDDED.includes(file)),
          env: { SIGHTLINE_TEST_STORE: 'server' },
          testTimeout: 180_000,
          maxWorkers: 1,
          // Its own group: projects of one group run side by side.
          sequence: { groupOrder: 3 },
        },
      },
      // One worker: each file builds the console into apps/web/dist when it is missing or stale, and two
      // builds at once would write the same files.
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['apps/web/e2e/**/*.e2e.test.ts'],
          maxWorkers: 1,
          sequence: { groupOrder: 4 },
        },
      },
    ],
  },
})
