import type { Server } from 'node:http'
import { serve, type ServerType } from '@hono/node-server'
import { createApp } from './app.js'
import { createStore } from './db/client.js'
import { migrate } from './db/migrate.js'
import { lowerStoreThreadPriority } from './db/store-threads.js'
import { createDeps, type Deps } from './deps.js'
import type { Env } from './env.js'
import { guardConnections, httpServerOptions, type HttpLimits } from './http-limits.js'
import { createLogger, type Logger } from './logger.js'

export interface RunningServer {
  deps: Deps
  port: number
  url: string
  /** Stops accepting, flushes the spool to the store, closes the store. */
  stop(): Promise<void>
}

/** Boots the store, migrations, the default project and the writer, then listens. */
export async function startServer(env: Env, logger: Logger = createLogger(env.LOG_LEVEL)): Promise<RunningServer> {
  const store = createStore(env)
  const stopLoweringStoreThreads = store.kind === 'chdb' ? lowerStoreThreadPriority(env.SIGHTLINE_STORE_NICE) : undefined
  await migrate(store, logger)
  const deps = createDeps(env, store, logger)
  const { generatedKey } = await deps.projects.ensureDefaultProject(env.SIGHTLINE_API_KEY)
  if (generatedKey) {
    logger.warn('generated an API key for the default project; it is stored hashed and will not be shown again', { apiKey: generatedKey })
  }
  await deps.writer.start()
  deps.decodePool.start()
  deps.detectionScheduler.start()
  const app = createApp(deps)
  const server = await listen(app.fetch, env.PORT, env.HOST, httpLimits(env))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : env.PORT
  const url = `http://${env.HOST === '0.0.0.0' ? '127.0.0.1' : env.HOST}:${port}`
  logger.info('sightline listening', { url, store: store.kind })
  return {
    deps,
    port,
    url,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await deps.decodePool.close()
      await deps.detectionScheduler.stop()
      await deps.writer.stop()
      await store.close()
      stopLoweringStoreThreads?.()
    },
  }
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

function listen(fetch: Parameters<typeof serve>[0]['fetch'], port: number, hostname: string, limits: HttpLimits): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, port, hostname, serverOptions: httpServerOptions(limits) }, () => resolve(server))
    // serve() has only called listen(): no connection can have arrived before the guard.
    guardConnections(server as Server, limits)
    server.once('error', reject)
  })
}
