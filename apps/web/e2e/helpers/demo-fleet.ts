/**
 * Test-only plumbing for the regression-case browser test: the demo fleet (MCP tools server,
 * sub-agents and the planner, as child processes of `apps/demo`) exporting into a test server, the
 * Atlantis task sent over A2A inside a known trace, and the command lines that start the planner
 * alone for `sightline regress run --agent-cmd` (the runner's replay world supplies `MCP_URL`).
 */
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
// Relative, test-only imports: the console itself never depends on the demo or the CLI.
import { AgentClient } from '../../../demo/src/a2a/call.js'
import { startFleet, type Fleet } from '../../../demo/src/fleet.js'

export const REPO_ROOT = fileURLToPath(new URL('../../../..', import.meta.url))
export const ATLANTIS = 'check the weather in Atlantis'
/** The demo's simulated delays, 20x faster. */
const TIME_SCALE = '0.05'

export type PlannerRelease = 'buggy' | 'fixed'

/** The fleet without traffic: a harness sends the tasks. */
export function startDemoFleet(sightlineUrl: string, apiKey: string, log: (line: string) => void = () => {}): Promise<Fleet> {
  return startFleet({ sightlineUrl, sightlineApiKey: apiKey, timeScale: Number(TIME_SCALE), portBase: 0, plannerRelease: 'buggy', traffic: false, seed: 7, log })
}

/** Sends the Atlantis task the way a regression runner would: over A2A, inside its own trace. */
export async function sendAtlantis(plannerUrl: string): Promise<string> {
  const traceId = randomBytes(16).toString('hex')
  const traceparent = `00-${traceId}-${randomBytes(8).toString('hex')}-01`
  await new AgentClient(plannerUrl, 'planner-agent').sendRaw({ text: ATLANTIS, meta: {} }, { serviceParameters: { traceparent } })
  return traceId
}

/**
 * A shell command that starts `bin/planner.ts` of one release. `MCP_URL`, `PORT` and the Sightline
 * variables come from the runner; the sub-agent URLs are required by the planner but never called
 * on a weather task, so they point at a closed port (a call would fail loudly, not hang).
 */
export function plannerCommand(release: PlannerRelease): string {
  const entry = path.join(REPO_ROOT, 'apps/demo/src/bin/planner.ts')
  return [
    `PLANNER_RELEASE=${release}`,
    `DEMO_TIME_SCALE=${TIME_SCALE}`,
    'RESEARCHER_URL=${RESEARCHER_URL:-http://127.0.0.1:9}',
    'EXECUTOR_URL=${EXECUTOR_URL:-http://127.0.0.1:9}',
    JSON.stringify(process.execPath),
    '--conditions=@sightline/source --import tsx',
    JSON.stringify(entry),
  ].join(' ')
}

export type { Fleet }
