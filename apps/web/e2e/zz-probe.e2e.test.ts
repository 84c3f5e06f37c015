import fs from 'node:fs'
import { it, expect } from 'vitest'
import { startTestServer, TEST_API_KEY } from './helpers/console.js'
import { startDemoFleet, sendAtlantis, plannerCommand } from './helpers/demo-fleet.js'
import { runCase } from '../../../packages/cli/src/cli.js'

it('probe', async () => {
  const server = await startTestServer()
  let t = Date.now()
  const fleet = await startDemoFleet(server.url, TEST_API_KEY, (l) => console.log(l))
  console.log('fleet up', Date.now() - t)
  const traceId = await sendAtlantis(fleet.urls.planner)
  console.log('sent', Date.now() - t)
  await fleet.stop()
  await server.drain()
  console.log('drained', Date.now() - t)
  const res = await fetch(`${server.url}/api/v1/traces/${traceId}/regression-case`, { headers: server.authHeaders })
  const body = await res.json()
  fs.writeFileSync('/tmp/rprobe/proposal.json', JSON.stringify(body, null, 2))
  const res2 = await fetch(`${server.url}/api/v1/traces/${traceId}`, { headers: server.authHeaders })
  fs.writeFileSync('/tmp/rprobe/trace.json', JSON.stringify(await res2.json(), null, 2))
  for (const rel of ['buggy', 'fixed'] as const) {
    t = Date.now()
    const r = await runCase(body.case, { agentCmd: plannerCommand(rel), sightlineUrl: server.url, apiKey: TEST_API_KEY, runs: 1, timeoutSeconds: 30, log: console.log })
    console.log(rel, r.exitCode, r.summary, Date.now() - t)
  }
  await server.stop()
}, 240_000)
