import type { Server } from 'node:http'
import { serve, type ServerType } from '@hono/node-server'
import { createApp } from './app.js'
import { createStore } from './db/client.js'
import { leaseTiming } from './coordination/leases.js'
import { migrateOnce } from './coordination/migrate-once.js'
import { replicaId } from './coordination/replica-id.js'
import { lowerStoreThreadPriority } from './db/store-threads.js'
import { createDeps, type Deps, type DepsOptions } from './deps.js'
import type { Env } from './env.js'
import { startOtlpGrpcServer, type OtlpGrpcServer } from './grpc/otlp-grpc-server.js'
import { guardConnections, httpServerOptions, type HttpLimits } from './http-limits.js'
import { createLogger, type Logger } from './logger.js'
import { ensurePrivateDir } from './private-files.js'
import { Shutdown } from './shutdown.js'

/** In-flight HTTP requests get this long at a stop before their connections are cut. */
const HTTP_CLOSE_GRACE_MS = 10_000

export interface RunningServer {
  deps: Deps
  port: number
  url: string
  /** The OTLP/gRPC port, or undefined when SIGHTLINE_GRPC_PORT is 0. */
  grpcPort: number | undefined
  /** Stops accepting (HTTP and gRPC), flushes the spool to the store, closes the store. */
  stop(): Promise<void>
  /** The same stop, in named phases (the one running is `shutdown.current`). */
  shutdown: Shutdown
}

/** Boots the store, migrations, the default project and the writer, then listens. */
export async function startServer(
  env: Env,
  logger: Logger = createLogger(env.LOG_LEVEL),
  options: DepsOptions = {},
): Promise<RunningServer> {
  if (!ensurePrivateDir(env.SIGHTLINE_DATA_DIR)) {
    logger.warn(
      'cannot make the data directory owner-only (0700): it belongs to another user; change its mode or owner',
      { dir: env.SIGHTLINE_DATA_DIR },
    )
  }
  const store = createStore(env)
  const stopLoweringStoreThreads =
    store.kind === 'chdb' ? lowerStoreThreadPriority(env.SIGHTLINE_STORE_NICE) : undefined
  const holder = replicaId(env.SIGHTLINE_REPLICA_ID, env.SIGHTLINE_DATA_DIR)
  await migrateOnce(store, logger, holder, leaseTiming(env.SIGHTLINE_LEASE_TTL_MS))
  const deps = createDeps(env, store, logger, options)
  const { generatedKey, isConfiguredKeyRevoked } = await deps.projects.ensureDefaultProject(env.SIGHTLINE_API_KEY)
  if (isConfiguredKeyRevoked)
    logger.warn('SIGHTLINE_API_KEY was revoked through the admin API and stays revoked; set a new key or unset it')
  if (generatedKey) {
    logger.warn('generated an API key for the default project; it is stored hashed and will not be shown again', {
      apiKey: generatedKey,
    })
  }
  await deps.writer.start()
  deps.decodePool.start()
  deps.leases.bind('detector', deps.detectionScheduler, logger)
  deps.leases.bind('registry', deps.registry.scanner, logger)
  deps.leases.bind('evaluator', deps.evaluatorScheduler, logger)
  // A lone replica holds every lease once this resolves; with others, whichever it won.
  await deps.leases.start()
  deps.resolver.start()
  const app = createApp(deps)
  const server = await listen(app.fetch, env.PORT, env.HOST, httpLimits(env))
  const closeHttp = () => new Promise<void>((resolve) => server.close(() => resolve()))
  let grpc: OtlpGrpcServer | undefined
  try {
    grpc =
      env.SIGHTLINE_GRPC_PORT === 0 ? undefined : await startOtlpGrpcServer(deps, env.HOST, env.SIGHTLINE_GRPC_PORT)
  } catch (error) {
    await closeHttp()
    await deps.decodePool.close()
    throw error
  }
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : env.PORT
  const url = `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${port}`
  logger.info('sightline listening', { url, grpcPort: grpc?.port ?? 'off', store: store.kind })
  const shutdown = new Shutdown(
    [
      {
        name: 'stop accepting (HTTP, gRPC)',
        run: () => Promise.all([closeHttpWithin(server, HTTP_CLOSE_GRACE_MS), grpc?.stop()]),
      },
      { name: 'decode workers', run: () => deps.decodePool.close() },
      { name: 'anomaly detection', run: () => deps.detectionScheduler.stop() },
      { name: 'registry scanner', run: () => deps.registry.scanner.stop() },
      { name: 'online evaluators', run: () => deps.evaluatorScheduler.stop() },
      { name: 'spool flush', run: () => deps.writer.stop() },
      { name: 'trace resolver', run: () => deps.resolver.stop() },
      { name: 'leases', run: () => deps.leases.stop() },
      { name: 'evaluation events', run: () => deps.evaluationEvents.drain() },
      {
        name: 'store',
        run: async () => {
          await store.close()
          stopLoweringStoreThreads?.()
        },
      },
    ],
    logger,
  )
  return { deps, port, url, grpcPort: grpc?.port, shutdown, stop: () => shutdown.run() }
}

/** Stops accepting; requests still running after `graceMs` lose their connection (none was acknowledged). */
function closeHttpWithin(server: ServerType, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const cut = setTimeout(() => (server as Server).closeAllConnections(), graceMs)
    server.close(() => {
      clearTimeout(cut)
      resolve()
    })
  })
}

function httpLimits(env: Env): HttpLimits {
  return {
    headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
    requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    idleTimeoutMs: env.HTTP_IDLE_TIMEOUT_MS,
    maxConnections: env.HTTP_MAX_CONNECTIONS,
  }
}

function listen(
  fetch: Parameters<typeof serve>[0]['fetch'],
  port: number,
  hostname: string,
  limits: HttpLimits,
): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname, serverOptions: httpServerOptions(limits) }, () => resolve(server))
    // serve() has only called listen(): no connection can have arrived before the guard.
    guardConnections(server as Server, limits)
    server.once('error', reject)
  })
}
