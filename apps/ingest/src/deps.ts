import path from 'node:path'
import type { Store } from './db/client.js'
import { AnalyticsRepository } from './db/repositories/analytics.js'
import { PriceOverrideRepository } from './db/repositories/prices.js'
import { ProjectRepository } from './db/repositories/projects.js'
import { QuarantineRepository } from './db/repositories/quarantine.js'
import { ScoreConfigRepository } from './db/repositories/score-configs.js'
import { ScoreRepository } from './db/repositories/scores.js'
import { EvaluatorRepository } from './db/repositories/evaluators.js'
import { ReferenceRepository } from './db/repositories/references.js'
import { ReviewQueueRepository } from './db/repositories/review-queues.js'
import { EvalRunRepository } from './db/repositories/eval-runs.js'
import { ScoreAnalyticsRepository } from './db/repositories/score-analytics.js'
import { EvaluationEventReader } from './eval/evaluation-events.js'
import { ScoreTargets } from './eval/score-targets.js'
import { EvaluatorRunner } from './eval/evaluator-runner.js'
import { EvaluatorScheduler } from './eval/evaluator-scheduler.js'
import { JudgeClient, judgeEndpointFrom } from './eval/judge-client.js'
import { EvaluationLogIngest } from './eval/evaluation-logs.js'
import { ScoreWriter } from './eval/score-writer.js'
import { RegressionRepository } from './db/repositories/regression.js'
import { SessionRepository } from './db/repositories/sessions.js'
import { TraceRepository } from './db/repositories/traces.js'
import { TraceListRepository } from './db/repositories/trace-list.js'
import { TraceReader } from './resolve/trace-reader.js'
import { AnomalyRepository } from './db/repositories/anomalies.js'
import { DEFAULT_DETECTOR_CONFIG } from './detect/config.js'
import { AnomalyDetector } from './detect/detector.js'
import { IncidentManager } from './detect/incidents/incident-manager.js'
import { IncidentRepository } from './db/repositories/incidents.js'
import { DetectionScheduler } from './detect/scheduler.js'
import { SecretBox, loadServerKey } from './crypto/secret-box.js'
import { WebhookDelivery } from './detect/webhook-delivery.js'
import { WebhookRepository } from './db/repositories/webhooks.js'
import { AlertNotifier } from './detect/webhooks.js'
import type { Env } from './env.js'
import { SpanWriter } from './ingest/writer.js'
import { ResolutionRepository } from './db/repositories/resolution.js'
import { PriceOverrideLookup } from './resolve/overrides.js'
import { DEFAULT_RESOLVER_OPTIONS, TraceResolver } from './resolve/resolver.js'
import { LeaseRepository } from './db/repositories/leases.js'
import { LocalLeaseStore } from './coordination/local-leases.js'
import { Leases, leaseTiming } from './coordination/leases.js'
import { replicaId } from './coordination/replica-id.js'
import { DecodePool } from './otlp/decode-pool.js'
import type { Logger } from './logger.js'
import { RegistryRepository } from './db/repositories/registry.js'
import { RegistryHealthRepository } from './db/repositories/registry-health.js'
import { CardRegistry } from './registry/cards.js'
import { DriftScanner } from './registry/drift-scanner.js'
import { RegistryService } from './registry/registry-service.js'
import { createMetrics, type Metrics } from './metrics.js'
import { OutboundGuard, systemResolver, type HostResolver } from './net/outbound-guard.js'
import { QueryLimiter } from './query-limiter.js'

/** Everything the routes need, built once at boot (or per test). */
export interface Deps {
  env: Env
  store: Store
  logger: Logger
  metrics: Metrics
  writer: SpanWriter
  resolver: TraceResolver
  /** Which singleton jobs this replica runs (one replica each, however many run). */
  leases: Leases
  priceLookup: PriceOverrideLookup
  decodePool: DecodePool
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
  queryLimiter: QueryLimiter
  /** The fleet registry: cards, agents and tools seen, drift. */
  registry: RegistryService
  scores: ScoreRepository
  scoreConfigs: ScoreConfigRepository
  /** The one write path of scores (API, SDK, reviewers, evaluators, CI, OTel evaluation events). */
  scoreWriter: ScoreWriter
  /** OTLP log records carrying evaluation results (HTTP and gRPC). */
  evaluationLogs: EvaluationLogIngest
  /** Span events carrying evaluation results, read after each resolution. */
  evaluationEvents: EvaluationEventReader
  scoreTargets: ScoreTargets
  evaluators: EvaluatorRepository
  references: ReferenceRepository
  /** The operator's judge endpoint (SIGHTLINE_JUDGE_URL), when configured. */
  judge: JudgeClient | undefined
  evaluatorScheduler: EvaluatorScheduler
  reviewQueues: ReviewQueueRepository
  scoreAnalytics: ScoreAnalyticsRepository
  evalRuns: EvalRunRepository
}

/** What tests may replace; production uses the defaults. */
export interface DepsOptions {
  /** DNS for outbound targets (tests answer with fixed addresses, e.g. to simulate rebinding). */
  resolveHost?: HostResolver
}

export function createDeps(env: Env, store: Store, logger: Logger, options: DepsOptions = {}): Deps {
  const metrics = createMetrics()
  const projects = new ProjectRepository(store, { keyLookupsPerSecond: env.SIGHTLINE_KEY_LOOKUPS_PER_SECOND })
  const prices = new PriceOverrideRepository(store)
  const anomalies = new AnomalyRepository(store)
  const secrets = new SecretBox(loadServerKey(env.SIGHTLINE_SECRET_KEY, env.SIGHTLINE_DATA_DIR, logger))
  const webhooks = new WebhookRepository(store, secrets)
  const outboundGuard = new OutboundGuard(
    env.SIGHTLINE_ALERT_ALLOWED_TARGETS,
    options.resolveHost ?? systemResolver,
    env.SIGHTLINE_ALERT_TIMEOUT_MS,
  )
  const delivery = new WebhookDelivery(outboundGuard, {
    timeoutMs: env.SIGHTLINE_ALERT_TIMEOUT_MS,
    retries: env.SIGHTLINE_ALERT_RETRIES,
    backoffMs: 500,
    maxResponseBytes: 64 * 1024,
  })
  const notifier = new AlertNotifier(webhooks, delivery, logger)
  const detectorConfig = {
    ...DEFAULT_DETECTOR_CONFIG,
    floors: { ...DEFAULT_DETECTOR_CONFIG.floors, cost: env.SIGHTLINE_ANOMALY_COST_FLOOR_USD },
  }
  const incidentRepository = new IncidentRepository(store)
  const incidents = new IncidentManager(store, incidentRepository, anomalies, notifier, logger)
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
  // The embedded store has no other replica to share jobs with: its leases stay in this process.
  const leases = new Leases(
    store.kind === 'chdb' ? new LocalLeaseStore() : new LeaseRepository(store),
    replicaId(env.SIGHTLINE_REPLICA_ID, env.SIGHTLINE_DATA_DIR),
    logger,
    leaseTiming(env.SIGHTLINE_LEASE_TTL_MS),
  )
  const resolution = new ResolutionRepository(store)
  const resolver = new TraceResolver(resolution, priceLookup, metrics, logger, leases.of('resolver'), {
    ...DEFAULT_RESOLVER_OPTIONS,
    quietMs: env.SIGHTLINE_RESOLVE_QUIET_MS,
    maxDeferMs: env.SIGHTLINE_RESOLVE_MAX_DEFER_MS,
    settleMs: env.SIGHTLINE_TRACE_SETTLE_MS,
  })
  writer.onStored = (traceKeys) => resolver.notify(traceKeys)
  resolver.ingestBacklogged = () => writer.backlogged
  const scores = new ScoreRepository(store)
  const scoreConfigs = new ScoreConfigRepository(store)
  const scoreAnalytics = new ScoreAnalyticsRepository(store)
  const detector = new AnomalyDetector(store, anomalies, incidents, logger, detectorConfig, undefined, undefined, {
    analytics: scoreAnalytics,
    configs: scoreConfigs,
  })
  const scoreWriter = new ScoreWriter(scores, scoreConfigs, (projectId, traceIds) =>
    resolution.enqueueTraces(projectId, traceIds, 'score'),
  )
  const scoreTargets = new ScoreTargets(scores, logger)
  resolver.onJudgedTraces = (projectId, traceIds) => scoreTargets.notify(projectId, traceIds)
  const evaluationEvents = new EvaluationEventReader(scores, scoreWriter, logger)
  resolver.onEvaluationSpans = (projectId, spans) => evaluationEvents.notify(projectId, spans)
  const evaluators = new EvaluatorRepository(store)
  const references = new ReferenceRepository(store)
  const judgeEndpoint = judgeEndpointFrom(env)
  const judge = judgeEndpoint && new JudgeClient(judgeEndpoint)
  const regression = new RegressionRepository(store)
  const traceList = new TraceListRepository(store)
  const traceReader = new TraceReader(traces, traceList, priceLookup, env.SIGHTLINE_TRACE_SETTLE_MS)
  const runner = new EvaluatorRunner({
    traceReader,
    regression,
    references,
    evaluators,
    scoreWriter,
    judge,
    ingest: { writer, env },
  })
  return {
    env,
    store,
    logger,
    metrics,
    writer,
    resolver,
    leases,
    priceLookup,
    projects,
    sessions: new SessionRepository(store, projects, env.SIGHTLINE_SESSION_TTL_HOURS * 3600_000),
    traces,
    traceList,
    traceReader,
    decodePool: new DecodePool(
      {
        workers: env.INGEST_DECODE_WORKERS,
        maxPending: env.INGEST_DECODE_MAX_PENDING,
        maxHeapMb: env.INGEST_DECODE_WORKER_HEAP_MB,
        niceIncrement: env.INGEST_DECODE_WORKER_NICE,
        decodeTimeoutMs: env.INGEST_DECODE_TIMEOUT_MS,
      },
      logger,
    ),
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
    regression,
    quarantine,
    queryLimiter: new QueryLimiter({
      maxConcurrent: env.QUERY_MAX_CONCURRENT,
      maxConcurrentPerProject: env.QUERY_MAX_CONCURRENT_PER_PROJECT,
      maxQueued: env.QUERY_MAX_QUEUED,
      queueTimeoutMs: env.QUERY_QUEUE_TIMEOUT_MS,
    }),
    registry: registryService(env, store, notifier, logger),
    scores,
    scoreConfigs,
    scoreWriter,
    evaluationLogs: new EvaluationLogIngest({ projects, scores, scoreWriter }),
    evaluationEvents,
    scoreTargets,
    evaluators,
    references,
    judge,
    evaluatorScheduler: new EvaluatorScheduler(evaluators, traceList, runner, logger, env.SIGHTLINE_EVAL_INTERVAL_MS),
    reviewQueues: new ReviewQueueRepository(store),
    scoreAnalytics,
    evalRuns: new EvalRunRepository(store),
  }
}

function registryService(env: Env, store: Store, notifier: AlertNotifier, logger: Logger): RegistryService {
  const repository = new RegistryRepository(store)
  const health = new RegistryHealthRepository(store)
  return new RegistryService(
    repository,
    health,
    new CardRegistry(repository),
    new DriftScanner(repository, health, notifier, logger, env.SIGHTLINE_REGISTRY_SCAN_MS),
  )
}
