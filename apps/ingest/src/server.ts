import { serve, type ServerType } from '@hono/node-server'
import { createApp } from './app.js'
import { createStore } from './db/client.js'
import { migrate } from './db/migrate.js'
import { lowerStoreThreadPriority } from './db/store-threads.js'
import { createDeps, type Deps, type DepsOptions } from './deps.js'
import type { Env } from './env.js'
import { startOtlpGrpcServer, type OtlpGrpcServer } from './grpc/otlp-grpc-server.js'
import { createLogger, type Logger } from './logger.js'
import { ensurePrivateDir } from './private-files.js'

export interface RunningServer {
  deps: Deps
  port: number
  url: string
  /** The OTLP/gRPC port, or undefined when SIGHTLINE_GRPC_PORT is 0. */
  grpcPort: number | undefined
  /** Stops accepting (HTTP and gRPC), flushes the spool to the store, closes the store. */
  stop(): Promise<void>
}

/** Boots the store, migrations, the default project and the writer, then listens. */
export async function startServer(env: Env, logger: Logger = createLogger(env.LOG_LEVEL), options: DepsOptions = {}): Promise<RunningServer> {
  if (!ensurePrivateDir(env.SIGHTLINE_DATA_DIR)) {
    logger.warn('cannot make the data directory owner-only (0700): it belongs to another user; change its mode or owner', { dir: env.SIGHTLINE_DATA_DIR })
  }
  const store = createStore(env)
  const stopLoweringStoreThreads = store.kind === 'chdb' ? lowerStoreThreadPriority(env.SIGHTLINE_STORE_NICE) : undefined
  await migrate(store, logger)
  const deps = createDeps(env, store, logger, options)
  const { generatedKey, isConfiguredKeyRevoked } = await deps.projects.ensureDefaultProject(env.SIGHTLINE_API_KEY)
  if (isConfiguredKeyRevoked) logger.warn('SIGHTLINE_API_KEY was revoked through the admin API and stays revoked; set a new key or unset it')
  if (generatedKey) {
    logger.warn('generated an API key for the default project; it is stored hashed and will not be shown again', { apiKey: generatedKey })
  }
  await deps.writer.start()
  deps.resolver.start()
  deps.detectionScheduler.start()
  deps.evaluatorScheduler.start()
  const app = createApp(deps)
  const server = await listen(app.fetch, env.PORT, env.HOST)
  const closeHttp = () => new Promise<void>((resolve) => server.close(() => resolve()))
  let grpc: OtlpGrpcServer | undefined
  try {
    grpc = env.SIGHTLINE_GRPC_PORT === 0 ? undefined : await startOtlpGrpcServer(deps, env.HOST, env.SIGHTLINE_GRPC_PORT)
  } catch (error) {
    await closeHttp()
    throw error
  }
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : env.PORT
  const url = `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${port}`
  logger.info('sightline listening', { url, grpcPort: grpc?.port ?? 'off', store: store.kind })
  return {
    deps,
    port,
    url,
    grpcPort: grpc?.port,
    async stop() {
      await Promise.all([closeHttp(), grpc?.stop()])
      await deps.detectionScheduler.stop()
      await deps.evaluatorScheduler.stop()
      await deps.writer.stop()
      await deps.resolver.stop()
      await deps.evaluationEvents.drain()
      await store.close()
      stopLoweringStoreThreads?.()
    },
  }
}

function listen(fetch: Parameters<typeof serve>[0]['fetch'], port: number, hostname: string): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname }, () => resolve(server))
    server.once('error', reject)
  })
}
