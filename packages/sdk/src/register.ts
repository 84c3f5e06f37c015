/**
 * registerSightline(): the OTel pipeline for an agent process. BatchSpanProcessor → OTLP/HTTP protobuf
 * exporter to `${endpoint}/v1/traces`, plus any extra processors (tests pass an in-memory exporter).
 * Globals are registered by default so the app's other OTel instrumentation lands in the same traces.
 */
import { context, propagation, trace, type TracerProvider } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import { W3CTraceContextPropagator } from '@opentelemetry/core'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources'
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type BufferConfig,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base'
import {
  ATTR_DEPLOYMENT_ENVIRONMENT_NAME,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_SIGHTLINE_REGRESSION_CASE,
  ENV_SIGHTLINE_REGRESSION_CASE,
} from '@sightline/schema/semconv'
import type { Redactor } from './redaction.js'
import { ScoreClient, type FeedbackOptions, type ScoreOptions, type ScoreResult, type ScoreValue } from './score.js'
import { definedAttributes } from './span-runner.js'
import { installConfig, TRACER_NAME, TRACER_VERSION } from './state.js'

/**
 * Options of registerSightline().
 *
 * @example
 * ```ts
 * const options: SightlineOptions = {
 *   endpoint: 'https://ingest.sightline.dev', apiKey: process.env.SIGHTLINE_API_KEY,
 *   serviceName: 'support-bot', environment: 'production',
 *   captureContent: true, redact: composeRedactors(redactionRules.email, redactionRules.apiKey),
 * }
 * ```
 */
export interface SightlineOptions {
  /**
   * Base URL of Sightline ingest, e.g. `https://ingest.example.com`; `/v1/traces` is appended.
   * Omit to export only to `spanProcessors`/`exporter` (tests, local debugging).
   */
  endpoint?: string
  /** Project API key, sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string
  serviceName: string
  serviceVersion?: string
  /** Written as `deployment.environment.name` (`production`, `staging`). */
  environment?: string
  /**
   * Marks every span of this process as regression-runner traffic for this case id (resource
   * attribute `sightline.regression.case`): Sightline keeps it out of production rollups and anomaly
   * detection. Defaults to `SIGHTLINE_REGRESSION_CASE`, which `sightline regress` sets for the agents it starts.
   */
  regressionCase?: string
  /** Record prompts, completions, tool arguments and results. Off by default: personal data. */
  captureContent?: boolean
  /** Applied to every captured text (and error messages) before it is written; see `redactionRules`. */
  redact?: Redactor
  /** Extra processors, e.g. `new SimpleSpanProcessor(new InMemorySpanExporter())` in tests. */
  spanProcessors?: SpanProcessor[]
  /** Extra exporter, wrapped in a SimpleSpanProcessor (spans are exported as they end). */
  exporter?: SpanExporter
  /** Batching of the OTLP export (defaults: 5 s delay, 512 spans per batch). */
  batch?: BufferConfig
  /**
   * Register the tracer provider, an AsyncLocalStorage context manager and the W3C propagator as the
   * OTel globals (default true). With `false` only the helpers use this provider, and nesting relies on
   * a context manager the app registered itself.
   */
  register?: boolean
}

/**
 * Returned by registerSightline().
 *
 * @example
 * ```ts
 * const sightline = registerSightline({ endpoint, apiKey, serviceName: 'cron-agent' })
 * await runJob()
 * await sightline.shutdown() // flushes the last batch before the process exits
 * ```
 */
export interface SightlineHandle {
  readonly tracerProvider: TracerProvider
  /** Exports every finished span now (e.g. at the end of a serverless invocation). */
  forceFlush(): Promise<void>
  /** Flushes, stops exporting and releases the globals this call registered. */
  shutdown(): Promise<void>
  /** Scores to Sightline (needs `endpoint`); see ScoreClient. */
  readonly scores: ScoreClient
  /** `scores.score(...)`: a score on a trace, span or session. */
  score(options: ScoreOptions): Promise<ScoreResult>
  /** `scores.scoreCurrentSpan(...)`: a score on the active span, carried by the span itself. */
  scoreCurrentSpan(name: string, value: ScoreValue, extra?: { comment?: string; label?: string }): void
  /** `scores.feedback(...)`: end-user thumbs, rating and text on a trace or session. */
  feedback(options: FeedbackOptions): Promise<ScoreResult[]>
}

function buildProcessors(options: SightlineOptions): SpanProcessor[] {
  const processors = [...(options.spanProcessors ?? [])]
  if (options.exporter) processors.push(new SimpleSpanProcessor(options.exporter))
  if (options.endpoint) {
    const exporter = new OTLPTraceExporter({
      url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces`,
      headers: options.apiKey ? { Authorization: `Bearer ${options.apiKey}` } : {},
    })
    processors.push(new BatchSpanProcessor(exporter, options.batch))
  }
  return processors
}

/** Registers the globals; returns the function that releases the ones that were actually taken. */
function registerGlobals(provider: TracerProvider): () => void {
  const contextManager = new AsyncLocalStorageContextManager().enable()
  const releases: Array<() => void> = []
  // Each setter returns false (and logs via diag) when another SDK got there first; that one stays.
  if (trace.setGlobalTracerProvider(provider)) releases.push(() => trace.disable())
  if (context.setGlobalContextManager(contextManager)) releases.push(() => context.disable())
  else contextManager.disable()
  if (propagation.setGlobalPropagator(new W3CTraceContextPropagator())) {
    releases.push(() => propagation.disable())
  }
  return () => releases.forEach((release) => release())
}

/**
 * Sets up tracing to Sightline for this process and returns a handle whose `shutdown()` flushes.
 * Call it once, before the agent starts.
 *
 * @example
 * ```ts
 * const sightline = registerSightline({
 *   endpoint: 'https://ingest.sightline.dev', apiKey: process.env.SIGHTLINE_API_KEY,
 *   serviceName: 'support-bot', serviceVersion: '1.4.0', environment: 'production',
 * })
 * process.on('SIGTERM', () => void sightline.shutdown())
 * ```
 */
export function registerSightline(options: SightlineOptions): SightlineHandle {
  // `OTEL_RESOURCE_ATTRIBUTES` is read as every OTel SDK does (`sightline regress` marks the agent
  // it starts with it); the options given in code win over the environment.
  const resource = detectResources({ detectors: [envDetector] }).merge(
    resourceFromAttributes(
      definedAttributes({
        [ATTR_SERVICE_NAME]: options.serviceName,
        [ATTR_SERVICE_VERSION]: options.serviceVersion,
        [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: options.environment,
        [ATTR_SIGHTLINE_REGRESSION_CASE]:
          options.regressionCase ?? (globalThis.process?.env?.[ENV_SIGHTLINE_REGRESSION_CASE] || undefined),
      }),
    ),
  )
  const provider = new BasicTracerProvider({
    resource,
    spanProcessors: buildProcessors(options),
  })
  const releaseGlobals = options.register === false ? () => {} : registerGlobals(provider)
  const restoreConfig = installConfig({
    tracer: provider.getTracer(TRACER_NAME, TRACER_VERSION),
    captureContent: options.captureContent ?? false,
    redact: options.redact,
    endpoint: options.endpoint,
    apiKey: options.apiKey,
  })
  const scores = new ScoreClient({
    endpoint: options.endpoint ?? '',
    apiKey: options.apiKey,
    flushSpans: () => provider.forceFlush(),
  })
  const needsEndpoint = <T>(send: () => Promise<T>): Promise<T> =>
    options.endpoint ? send() : Promise.reject(new Error('registerSightline({ endpoint }) is needed to send scores'))
  return {
    tracerProvider: provider,
    scores,
    score: (o) => needsEndpoint(() => scores.score(o)),
    scoreCurrentSpan: (name, value, extra) => scores.scoreCurrentSpan(name, value, extra),
    feedback: (o) => needsEndpoint(() => scores.feedback(o)),
    forceFlush: () => provider.forceFlush(),
    shutdown: async () => {
      try {
        await provider.shutdown()
      } finally {
        restoreConfig()
        releaseGlobals()
      }
    },
  }
}
