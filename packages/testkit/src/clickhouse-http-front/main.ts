/**
 * Entry point of the front's own process (started by `startClickHouseFront`, start.ts): opens chDB
 * on `--data-dir`, listens, and prints one line `{"listening":{"port":N,"version":"…"}}` on stdout
 * once it accepts queries. SIGTERM, or the end of stdin (the parent is gone), closes the sessions
 * and the engine, then exits 0.
 */
import { parseArgs } from 'node:util'
import { Contexts } from './contexts.js'
import { Engine } from './engine.js'
import { listen } from './server.js'

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string' },
    user: { type: 'string', default: 'default' },
    password: { type: 'string', default: '' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
  },
})
const dataDir = values['data-dir']
if (!dataDir) throw new Error('--data-dir is required')

const engine = await Engine.open(dataDir)
const contexts = new Contexts(engine)
const { server, port } = await listen(engine, contexts, {
  user: values.user,
  password: values.password,
  host: values.host,
  port: Number(values.port),
})
process.stdout.write(`${JSON.stringify({ listening: { port, version: engine.version } })}\n`)

const shutdown = () => {
  server.close()
  server.closeAllConnections()
  contexts.close()
  engine.close()
  process.exit(0)
}
process.once('SIGTERM', shutdown)
// The parent holds our stdin: when it ends (even killed), so do we.
process.stdin.on('end', shutdown).on('close', shutdown).resume()
