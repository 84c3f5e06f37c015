import os from 'node:os'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import { decodeServerKey } from './crypto/secret-box.js'
import { parseAllowlist } from './net/address-policy.js'

/** The built console (`apps/web/dist`): src/env.ts and dist/env.js sit at the same depth. */
const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url))

const MiB = 1024 * 1024
/**
 * Holds any ordinary batch of up to ~150 spans (a 100-span GenAI batch is ~150 KB of JSON), while
 * with MAX_EVENT_LOOP_OBJECTS (decode-cost.ts) the worst body below it holds the event loop ~45 ms.
 */
const DEFAULT_DECODE_WORKER_MIN_BYTES = 256 * 1024

const EnvSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(4318),
    HOST: z.string().default('127.0.0.1'),
    /** OTLP/gRPC (the port gRPC exporters and the Collector's `otlp` exporter default to), on HOST; 0 turns it off. */
    SIGHTLINE_GRPC_PORT: z.coerce.number().int().min(0).max(65535).default(4317),
    SIGHTLINE_DATA_DIR: z.string().default('./data'),
    /** Unset: the embedded chDB store under SIGHTLINE_DATA_DIR. Set: a ClickHouse server. */
    CLICKHOUSE_URL: z.url().optional(),
    CLICKHOUSE_USER: z.string().default('default'),
    CLICKHOUSE_PASSWORD: z.string().default(''),
    CLICKHOUSE_DATABASE: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier')
      .default('default'),
    /**
     * The server is one node of this cluster (its `remote_servers` name): migrations run ON CLUSTER
     * with replicated, sharded tables (src/db/cluster-ddl.ts). Needs CLICKHOUSE_URL.
     */
    CLICKHOUSE_CLUSTER: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a plain identifier')
      .optional(),
    /** Key of the default project, for a single-user install. */
    SIGHTLINE_API_KEY: z.string().min(8, 'must be at least 8 characters').optional(),
    /** OTLP spec: 64 MiB, counted after decompression. */
    INGEST_MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(64 * MiB),
    /** Each attribute value, message list and tool payload is cut to this size (flag `truncated`). */
    INGEST_MAX_ATTRIBUTE_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(1 * MiB),
    /** Acknowledged spans wait here (fsynced) until the store has them. */
    SPOOL_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(1024 * MiB),
    /** A spool segment is handed to the store when it reaches this size or age. */
    SPOOL_SEGMENT_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(16 * MiB),
    SPOOL_SEGMENT_MAX_AGE_MS: z.coerce.number().int().positive().default(250),
    /**
     * CPU priority (nice, 0–19) of the embedded engine's threads, below the event loop's 0, so that
     * acknowledgements stay fast while a large insert is parsed; 0 leaves them equal. Embedded store only.
     */
    SIGHTLINE_STORE_NICE: z.coerce.number().int().min(0).max(19).default(10),
    /** A trace is resolved once no span has arrived for it this long (and again when a late one does). */
    SIGHTLINE_RESOLVE_QUIET_MS: z.coerce.number().int().min(0).default(1_000),
    /**
     * While ingest is behind (spool segments wait for the store), resolution waits for it, at most this
     * long after a trace's first new span: storing acknowledged spans comes before computing what they mean.
     */
    SIGHTLINE_RESOLVE_MAX_DEFER_MS: z.coerce.number().int().min(0).default(30_000),
    /** A trace whose root has not arrived is `running` until quiet this long; then it is judged on what it has. */
    SIGHTLINE_TRACE_SETTLE_MS: z.coerce.number().int().min(0).default(300_000),
    /**
     * This replica's identity as a lease holder (several ingest replicas on one store): unique among the
     * running replicas, the same across a restart of one. Default: host name + data directory.
     */
    SIGHTLINE_REPLICA_ID: z.string().min(1).max(200).optional(),
    /** A singleton job (resolver, detection…) moves to another replica this long after its holder stopped renewing. */
    SIGHTLINE_LEASE_TTL_MS: z.coerce.number().int().min(1_000).default(15_000),
    /** The built console (apps/web/dist) served at `/`. */
    SIGHTLINE_CONSOLE_DIR: z.string().default(DEFAULT_CONSOLE_DIR),
    /** How often anomaly detection runs in the server; 0 turns it off (tests call `evaluate(now)`). */
    SIGHTLINE_ANOMALY_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
    /** How often the fleet registry looks for drift (new versions, changed cards and tool schemas); 0 turns it off. */
    SIGHTLINE_REGISTRY_SCAN_MS: z.coerce.number().int().min(0).default(60_000),
    /** Smallest cost spike worth an alert, USD per 5 minutes. */
    SIGHTLINE_ANOMALY_COST_FLOOR_USD: z.coerce.number().nonnegative().default(0.25),
    SIGHTLINE_ALERT_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
    SIGHTLINE_ALERT_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
    /**
     * Webhook targets allowed although private (loopback, RFC 1918, link-local…): comma-separated
     * host names and/or CIDR blocks, e.g. `relay.internal,10.20.0.0/16`. Empty: public targets only.
     */
    SIGHTLINE_ALERT_ALLOWED_TARGETS: z
      .string()
      .default('')
      .transform((text, ctx) => {
        const { allowlist, problems } = parseAllowlist(text)
        for (const problem of problems) ctx.addIssue({ code: 'custom', message: problem })
        return allowlist
      }),
    /**
     * Key for secrets at rest (webhook secrets): base64 of 32 bytes. Unset: generated once into
     * $SIGHTLINE_DATA_DIR/secret.key.
     */
    SIGHTLINE_SECRET_KEY: z
      .string()
      .refine((text) => decodeServerKey(text) !== null, 'must be 32 bytes, base64 (openssl rand -base64 32)')
      .optional(),
    /** Console sessions last this long after sign-in; sign-out ends them at once. */
    SIGHTLINE_SESSION_TTL_HOURS: z.coerce
      .number()
      .positive()
      .max(24 * 365)
      .default(168),
    /**
     * The console's public address (https://sightline.example.com) behind a proxy: its origin is
     * accepted for state-changing requests, and https here makes the session cookie `Secure`.
     */
    SIGHTLINE_PUBLIC_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
    /** 1: trust `X-Forwarded-Proto` from the proxy in front (never set this without one). */
    SIGHTLINE_TRUST_PROXY: z
      .enum(['0', '1', 'true', 'false'])
      .default('0')
      .transform((v) => v === '1' || v === 'true'),
    /** Opens the admin API (projects and keys). Unset: the admin API is off. */
    SIGHTLINE_ADMIN_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
    /** How often online evaluators look for traces to evaluate; 0 turns them off (tests call `runDue(now)`). */
    SIGHTLINE_EVAL_INTERVAL_MS: z.coerce.number().int().min(0).default(30_000),
    /**
     * LLM-as-judge: an OpenAI-compatible endpoint (base URL; `/chat/completions` is appended), the
     * model and the key. The key is read from here only and never stored. Unset URL: no judge evaluators.
     */
    SIGHTLINE_JUDGE_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
    SIGHTLINE_JUDGE_MODEL: z.string().min(1).default('gpt-4o-mini'),
    /** Provider of the judge model, for pricing its calls (genai-prices ids: openai, anthropic, google…). */
    SIGHTLINE_JUDGE_PROVIDER: z.string().min(1).default('openai'),
    SIGHTLINE_JUDGE_API_KEY: z.string().min(1).optional(),
    SIGHTLINE_JUDGE_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
    /** Retries after a network error, a 429 or a 5xx, with exponential backoff (0.5 s, 1 s, …). */
    SIGHTLINE_JUDGE_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),

    // --- Limits that keep the event loop free (README, "What the edge guarantees") ---
    /** Per span; what is past them is counted in `sightline.dropped.*` (OTel SDK defaults). */
    INGEST_MAX_EVENTS_PER_SPAN: z.coerce.number().int().min(0).default(128),
    INGEST_MAX_LINKS_PER_SPAN: z.coerce.number().int().min(0).default(128),
    /** Per attribute list (span, resource, event, link); OpenInference flattens messages into many keys. */
    INGEST_MAX_ATTRIBUTES_PER_SPAN: z.coerce.number().int().min(1).default(1024),
    /** Bodies of at least this many bytes (decompressed), or of many small objects, are decoded in a worker thread. */
    INGEST_DECODE_WORKER_MIN_BYTES: z.coerce.number().int().min(0).default(DEFAULT_DECODE_WORKER_MIN_BYTES),
    INGEST_DECODE_WORKERS: z.coerce
      .number()
      .int()
      .min(1)
      .max(64)
      .default(Math.max(1, Math.min(4, os.availableParallelism() - 1))),
    /** Large bodies in the decode workers at once (being received or decoded); past it, 503 + Retry-After. */
    INGEST_DECODE_MAX_PENDING: z.coerce.number().int().positive().default(16),
    /** Added to the decode workers' CPU nice value (Linux), below the event loop's. */
    INGEST_DECODE_WORKER_NICE: z.coerce.number().int().min(0).max(19).default(5),
    /**
     * Old-generation heap of each decode worker; a body that needs more is answered 413. The worst
     * 64 MiB bodies measured (21M empty arrays; 380k minimal spans) needed under 1 GiB.
     */
    INGEST_DECODE_WORKER_HEAP_MB: z.coerce.number().int().min(256).default(1024),
    /** A body still decoding after this long is answered 413 (the worst 64 MiB bodies took ~20 s on 2 loaded cores). */
    INGEST_DECODE_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
    /** Unauthenticated connections must not starve ingest: see http-limits.ts. */
    /** A stop (SIGTERM) that takes longer exits anyway, naming the phase it was in; the spool keeps the rest. */
    SIGHTLINE_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(25_000),
    HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
    HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
    HTTP_IDLE_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
    HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(2).default(1024),
    /** Store lookups of API keys not in the key cache, per second (a key-guessing flood costs no more). */
    SIGHTLINE_KEY_LOOKUPS_PER_SECOND: z.coerce.number().int().positive().default(50),
    /** Query API only (never OTLP): concurrent requests, overall and per project, and the short queue before 503. */
    QUERY_MAX_CONCURRENT: z.coerce.number().int().positive().default(4),
    QUERY_MAX_CONCURRENT_PER_PROJECT: z.coerce.number().int().positive().default(3),
    QUERY_MAX_QUEUED: z.coerce.number().int().min(0).default(32),
    QUERY_QUEUE_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
    /** When set, `/metrics` answers only `Authorization: Bearer <token>`. */
    SIGHTLINE_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  })
  .refine((env) => !env.CLICKHOUSE_CLUSTER || env.CLICKHOUSE_URL, {
    path: ['CLICKHOUSE_CLUSTER'],
    message: 'needs CLICKHOUSE_URL (a node of that cluster)',
  })
export type Env = z.infer<typeof EnvSchema>

/** Parses the environment once, before serving; one readable error lists every problem. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = EnvSchema.safeParse(source)
  if (result.success) return result.data
  const lines = result.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`)
  throw new Error(`Invalid configuration:\n${lines.join('\n')}`)
}
