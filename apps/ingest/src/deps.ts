import path from 'node:path'
import type { Store } from './db/client.js'
import { AnalyticsRepository } from './db/repositories/analytics.js'
import { PriceOverrideRepository } from './db/repositories/prices.js'
import { ProjectRepository } from './db/repositories/projects.js'
import { QuarantineRepository } from './db/repositories/quarantine.js'
import { RegressionRepository } from './db/repositories/regression.js'
import { SessionRepository } from './db/repositories/sessions.js'
import { TraceRepository } from './db/repositories/traces.js'
import { TraceListRepository } from './db/repositories/trace-list.js'
import { TraceReader } from './resolve/trace-reader.js'
import { AnomalyRepository } from './detect/anomaly-repository.js'
import { DEFAULT_DETECTOR_CONFIG } from './detect/config.js'
import { AnomalyDetector } from './detect/detector.js'
import { IncidentManager } from './detect/incidents/incident-manager.js'
import { IncidentRepository } from './db/repositories/incidents.js'
import { DetectionScheduler } from './detect/scheduler.js'
import { SecretBox, loadServerKey } from './crypto/secret-box.js'
import { WebhookDelivery } from './detect/webhook-delivery.js'
import { WebhookRepository } from './detect/webhook-repository.js'
import { AlertNotifier } from './detect/webhooks.js'
import type { Env } from './env.js'
import { SpanWriter } from './ingest/writer.js'
import { ResolutionRepository } from './db/repositories/resolution.js'
import { PriceOverrideLookup } from './resolve/overrides.js'
import { DEFAULT_RESOLVER_OPTIONS, TraceResolver } from './resolve/resolver.js'
import type { Logger } from './logger.js'
import { createMetrics, type Metrics } from './metrics.js'
import { OutboundGuard, systemResolver, type HostResolver } from './net/outbound-guard.js'

/** Everything the routes need, built once at boot (or per test). */
export interface Deps {
  env: Env
  store: Store
  logger: Logger
  metrics: Metrics
  writer: SpanWriter
  resolver: TraceResolver
  priceLookup: PriceOverrideLookup
  projects: ProjectRepository
  sessions: SessionRepository
  traces: TraceRepository
  traceList: TraceListRepository
  traceReader: TraceReader
  prices: PriceOverrideRepository
  analytics: AnalyticsRepository
  anomalies: AnomalyRepository
  incidentRepository: IncidentRepository
  /** Incident state and people's actions on it (the detector reports findings to it). */
  incidents: IncidentManager
  webhooks: WebhookRepository
  /** Checks webhook URLs on save and pins the checked address on send (SSRF). */
  outboundGuard: OutboundGuard
  notifier: AlertNotifier
  detector: AnomalyDetector
  detectionScheduler: DetectionScheduler
  regression: RegressionRepository
  quarantine: QuarantineRepository
}

/** What tests may replace; production uses the defaults. */
export interface DepsOptions {
  /** DNS for outbound targets (tests answer with fixed addresses, e.g. to simulate rebinding). */
  resolveHost?: HostResolver
}

export function createDeps(env: Env, store: Store, logger: Logger, options: DepsOptions = {}): Deps {
  const metrics = createMetrics()
  const projects = new ProjectRepository(store)
  const prices = new PriceOverrideRepository(store)
  const anomalies = new AnomalyRepository(store)
  const secrets = new SecretBox(loadServerKey(env.SIGHTLINE_SECRET_KEY, env.SIGHTLINE_DATA_DIR, logger))
  const webhooks = new WebhookRepository(store, secrets)
  const outboundGuard = new OutboundGuard(env.SIGHTLINE_ALERT_ALLOWED_TARGETS, options.resolveHost ?? systemResolver, env.SIGHTLINE_ALERT_TIMEOUT_MS)
  const delivery = new WebhookDelivery(outboundGuard, {
    timeoutMs: env.SIGHTLINE_ALERT_TIMEOUT_MS,
    retries: env.SIGHTLINE_ALERT_RETRIES,
    backoffMs: 500,
    maxResponseBytes: 64 * 1024,
  })
  const notifier = new AlertNotifier(webhooks, delivery, logger)
  const detectorConfig = { ...DEFAULT_DETECTOR_CONFIG, floors: { ...DEFAULT_DETECTOR_CONFIG.floors, cost: env.SIGHTLINE_ANOMALY_COST_FLOOR_USD } }
  const incidentRepository = new IncidentRepository(store)
  const incidents = new IncidentManager(store, incidentRepository, anomalies, notifier, logger)
  const detector = new AnomalyDetector(store, anomalies, incidents, logger, detectorConfig)
  const quarantine = new QuarantineRepository(store)
  const writer = new SpanWriter(
    store,
    {
      spoolDir: path.resolve(env.SIGHTLINE_DATA_DIR, 'spool'),
      maxSpoolBytes: env.SPOOL_MAX_BYTES,
      segmentBytes: env.SPOOL_SEGMENT_BYTES,
      segmentMaxAgeMs: env.SPOOL_SEGMENT_MAX_AGE_MS,
    },
    metrics,
    logger,
    quarantine,
  )
  const priceLookup = new PriceOverrideLookup(prices)
  const traces = new TraceRepository(store)
  const resolver = new TraceResolver(new ResolutionRepository(store), priceLookup, metrics, logger, {
    ...DEFAULT_RESOLVER_OPTIONS,
    quietMs: env.SIGHTLINE_RESOLVE_QUIET_MS,
    settleMs: env.SIGHTLINE_TRACE_SETTLE_MS,
  })
  writer.onStored = (traceKeys) => resolver.notify(traceKeys)
  return {
    env,
    store,
    logger,
    metrics,
    writer,
    resolver,
    priceLookup,
    projects,
    sessions: new SessionRepository(store, projects, env.SIGHTLINE_SESSION_TTL_HOURS * 3600_000),
    traces,
    traceList: new TraceListRepository(store),
    traceReader: new TraceReader(traces, priceLookup, env.SIGHTLINE_TRACE_SETTLE_MS),
    prices,
    analytics: new AnalyticsRepository(store),
    anomalies,
    incidentRepository,
    incidents,
    webhooks,
    outboundGuard,
    notifier,
    detector,
    detectionScheduler: new DetectionScheduler(detector, notifier, logger, env.SIGHTLINE_ANOMALY_INTERVAL_MS),
    regression: new RegressionRepository(store),
    quarantine,
  }
}
