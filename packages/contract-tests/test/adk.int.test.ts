/**
 * Google ADK for TypeScript, as exported by ADK's own telemetry setup (OTLP/HTTP JSON). FINDINGS.md
 * lists where ADK puts each fact.
 */
import { expect, it } from 'vitest'
import { describeContract } from './helpers/contract-suite.js'

describeContract('adk', (ctx) => {
  it('names the trace after the root agent', () => {
    expect(ctx().run.traces.map((t) => t.name)).toEqual(['trip_planner'])
  })
})
