/**
 * `pnpm demo`: runs the fleet with live traffic against SIGHTLINE_URL until Ctrl-C.
 * Env: SIGHTLINE_URL, SIGHTLINE_API_KEY, DEMO_SEED, DEMO_RATE, DEMO_TIME_SCALE, DEMO_START_MINUTE,
 * DEMO_PORT_BASE, PLANNER_RELEASE.
 */
import { numberEnv, readConfig } from '../lib/config.js'
import { startFleet } from '../fleet.js'

const config = readConfig()
const fleet = await startFleet({
  sightlineUrl: config.sightlineUrl,
  ...(config.sightlineApiKey ? { sightlineApiKey: config.sightlineApiKey } : {}),
  seed: config.seed,
  rate: config.rate,
  timeScale: config.timeScale,
  startMinute: config.startMinute,
  portBase: numberEnv('DEMO_PORT_BASE', 7300),
  plannerRelease: process.env.PLANNER_RELEASE === 'fixed' ? 'fixed' : 'buggy',
})
console.log(
  `demo fleet running: planner ${fleet.urls.planner} (A2A), tools ${fleet.urls.mcp} (MCP); ` +
    `sending to ${config.sightlineUrl}`,
)
console.log('press Ctrl-C to stop')

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return
    stopping = true
    console.log('stopping the fleet (flushing spans)…')
    void fleet.stop().then(() => process.exit(0))
  })
}
