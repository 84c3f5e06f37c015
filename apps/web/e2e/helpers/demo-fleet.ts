/**
 * Test-only plumbing for the regression-case browser test: the demo's MCP tools server and planner
 * (child processes of `apps/demo`'s entry points) exporting into a test server, the
 * Atlantis task sent over A2A inside a known trace, and the command lines that start the planner
 * alone for `sightline regress run --agent-cmd` (the runner's replay world supplies `MCP_URL`).
 */
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
// Test-only imports (the console never depends on the CLI or the demo): the runner's own A2A client.
import { sendToAgent } from '@sightline/cli/regress/agent-client'
import { sendCallerSpan } from '@sightline/cli/regress/request-span'
import { startLauncher } from '@sightline/demo/launcher'

export const REPO_ROOT = fileURLToPath(new URL('../../../..', import.meta.url))
export const ATLANTIS = 'check the weather in Atlantis'
/** The demo's simulated delays, 20x faster. */
const TIME_SCALE = '0.05'
/** The planner requires sub-agent URLs, but a weather task never calls them: a closed port fails loudly. */
const UNUSED_AGENT_URL = 'http://127.0.0.1:9'

export type PlannerRelease = 'buggy' | 'fixed'

export interface DemoAgents {
  plannerUrl: string
  /** SIGTERM in reverse start order; each child flushes its spans before it exits. */
  stop(): Promise<void>
}

/**
 * The demo's MCP tools server and buggy planner as child processes (the fleet's `bin/*.ts` entries,
 * started by the demo's own launcher), exporting to `sightlineUrl`.
 */
export async function startDemoAgents(
  sightlineUrl: string,
  apiKey: string,
  log: (line: string) => void = () => {},
): Promise<DemoAgents> {
  const launcher = startLauncher({
    env: {
      SIGHTLINE_URL: sightlineUrl,
      SIGHTLINE_API_KEY: apiKey,
      DEMO_SEED: '7',
      DEMO_TIME_SCALE: TIME_SCALE,
      PORT: '0',
    },
    log,
  })
  try {
    const mcp = `${await launcher.spawn('tools-mcp', {})}/mcp`
    const plannerUrl = await launcher.spawn('planner', {
      MCP_URL: mcp,
      PLANNER_RELEASE: 'buggy',
      RESEARCHER_URL: UNUSED_AGENT_URL,
      EXECUTOR_URL: UNUSED_AGENT_URL,
    })
    return { plannerUrl, stop: launcher.stop }
  } catch (err) {
    await launcher.stop()
    throw err
  }
}

/**
 * Sends the Atlantis task over A2A inside a trace of our own, whose root (our request span) goes to
 * Sightline too, as a traced front end's would; resolves to the trace id.
 */
export async function sendAtlantis(plannerUrl: string, sightlineUrl: string, apiKey: string): Promise<string> {
  const traceId = randomBytes(16).toString('hex')
  const spanId = randomBytes(8).toString('hex')
  const startMs = Date.now()
  const reply = await sendToAgent({
    target: plannerUrl,
    protocol: 'a2a-1.0',
    text: ATLANTIS,
    metadata: {},
    traceparent: `00-${traceId}-${spanId}-01`,
    timeoutMs: 30_000,
  })
  await sendCallerSpan(sightlineUrl, apiKey, {
    traceId,
    spanId,
    name: 'POST /ask',
    service: 'e2e-frontend',
    startMs,
    endMs: Date.now(),
    input: ATLANTIS,
    output: reply.text,
  })
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
    `RESEARCHER_URL=${UNUSED_AGENT_URL}`,
    `EXECUTOR_URL=${UNUSED_AGENT_URL}`,
    JSON.stringify(process.execPath),
    '--conditions=@sightline/source --import tsx',
    JSON.stringify(entry),
  ].join(' ')
}
