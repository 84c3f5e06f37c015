// chDB inserts and queries run on the libuv pool too; without more threads, spool fsyncs would
// queue behind a long insert and acknowledgements would wait for it.
process.env.UV_THREADPOOL_SIZE ??= '16'

const { parseEnv } = await import('./env.js')
const { startServer } = await import('./server.js')
const { stopWithin } = await import('./shutdown.js')

const env = parseEnv()
const server = await startServer(env)
let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    server.deps.logger.info('shutting down: flushing spooled spans', { signal })
    stopWithin(server.shutdown, env.SIGHTLINE_SHUTDOWN_TIMEOUT_MS).then(
      (outcome) => {
        if (outcome.done) process.exit(0)
        server.deps.logger.error(
          'shutdown did not finish in time; exiting. What was not stored stays spooled for the next start',
          {
            phase: outcome.phase,
            timeoutMs: env.SIGHTLINE_SHUTDOWN_TIMEOUT_MS,
          },
        )
        process.exit(1)
      },
      (err: unknown) => {
        server.deps.logger.error('shutdown failed', { err })
        process.exit(1)
      },
    )
  })
}
