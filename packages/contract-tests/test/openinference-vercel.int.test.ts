/**
 * The AI SDK 6 scenario with OpenInference's Vercel span processor in front of the exporter
 * (OTLP/HTTP protobuf): two conventions on the same spans. FINDINGS.md lists what it adds.
 */
import { expect, it } from 'vitest'
import { describeContract } from './helpers/contract-suite.js'

describeContract('openinference-vercel', (ctx) => {
  // The processor copies the tool's error onto the root, the later model calls and the retry.
  it('fails only the span with the exception, not the spans the processor marked', () => {
    const { run } = ctx()
    expect(run.spans.filter((s) => s.failed).map((s) => s.kind)).toEqual(['tool'])
    expect(run.traces.map((t) => t.errorCount).sort()).toEqual([0, 1])
    expect(run.traces.map((t) => t.outcome).sort()).toEqual(['ok', 'recovered'])
  })
})
