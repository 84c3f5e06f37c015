import { Hono, type Context } from 'hono'
import { compress } from 'hono/compress'
import type { ApiError } from '@sightline/schema'
import type { Deps } from './deps.js'
import { AppError } from './errors.js'
import { csrfGuard } from './middleware/csrf.js'
import { securityHeaders } from './middleware/security-headers.js'
import { adminRoutes } from './routes/admin.js'
import { analyticsRoutes } from './routes/analytics.js'
import { anomalyRoutes } from './routes/anomalies.js'
import { consoleRoutes } from './routes/console.js'
import { facetRoutes } from './routes/facets.js'
import { healthRoutes } from './routes/health.js'
import { incidentRoutes } from './routes/incidents.js'
import { otlpRoutes } from './routes/otlp.js'
import { priceRoutes } from './routes/prices.js'
import { quarantineRoutes } from './routes/quarantine.js'
import { regressionRoutes } from './routes/regression.js'
import { registryRoutes } from './routes/registry.js'
import { evaluatorRoutes, referenceRoutes } from './routes/evaluators.js'
import { evalRunRoutes } from './routes/eval-runs.js'
import { reviewQueueRoutes } from './routes/review-queues.js'
import { scoreAnalyticsRoutes } from './routes/score-analytics.js'
import { scoreConfigRoutes, scoreRoutes } from './routes/scores.js'
import { sessionRoutes } from './routes/session.js'
import { traceRoutes } from './routes/traces.js'

/** The whole server as a Hono app, with no listening socket: tests call `app.request()`. */
export function createApp(deps: Deps): Hono {
  const guard = csrfGuard(deps.env)
  const app = new Hono()
  app.use('*', securityHeaders(deps.env))
  // OTLP endpoints authenticate every request by key header; the guard is for the cookie-driven API.
  app.use('/api/*', async (c, next) => (c.req.path.startsWith('/api/public/otel/') ? next() : guard(c, next)))
  // Trace skeletons of 10k spans are megabytes of repetitive JSON: gzip cuts them ~10×.
  app.use('/api/v1/*', compress())
  app.route('/', healthRoutes(deps))
  app.route('/', otlpRoutes(deps))
  app.route('/api/v1/traces', traceRoutes(deps))
  app.route('/api/v1/price-overrides', priceRoutes(deps))
  app.route('/api/v1/facets', facetRoutes(deps))
  app.route('/api/v1/quarantine', quarantineRoutes(deps))
  app.route('/api/v1/session', sessionRoutes(deps))
  app.route('/api/v1/admin', adminRoutes(deps))
  app.route('/api/v1', anomalyRoutes(deps))
  app.route('/api/v1/analytics/scores', scoreAnalyticsRoutes(deps))
  app.route('/api/v1', incidentRoutes(deps))
  app.route('/api/v1/analytics', analyticsRoutes(deps))
  app.route('/api/v1', regressionRoutes(deps))
  app.route('/api/v1/registry', registryRoutes(deps))
  app.route('/api/v1/scores', scoreRoutes(deps))
  app.route('/api/v1/score-configs', scoreConfigRoutes(deps))
  app.route('/api/v1/evaluators', evaluatorRoutes(deps))
  app.route('/api/v1/reference-trajectories', referenceRoutes(deps))
  app.route('/api/v1/review-queues', reviewQueueRoutes(deps))
  app.route('/api/v1/eval-runs', evalRunRoutes(deps))
  app.all('/api/*', (c) =>
    c.json<ApiError>({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } }, 404),
  )
  app.route('/', consoleRoutes(deps.env.SIGHTLINE_CONSOLE_DIR))

  app.notFound((c) =>
    c.json<ApiError>({ error: { code: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` } }, 404),
  )
  app.onError((error, c) => {
    if (error instanceof AppError) {
      if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(error.retryAfterSeconds))
      return errorEnvelope(c, { error: { code: error.code, message: error.message } }, error.status)
    }
    deps.logger.error('request failed', { method: c.req.method, path: c.req.path, err: error })
    return c.json<ApiError>({ error: { code: 'internal', message: 'Internal error' } }, 500)
  })
  return app
}

/**
 * An error envelope with its Content-Length, which `compress()` needs to see that it is too small
 * to compress: without it every 503 of a 500-call burst got a gzip stream of its own (~2 ms each,
 * more than the rest of the refusal).
 */
function errorEnvelope(c: Context, body: ApiError, status: number): Response {
  const text = JSON.stringify(body)
  return c.body(text, status as 400, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
  })
}
