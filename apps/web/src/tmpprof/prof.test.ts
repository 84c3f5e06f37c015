import { it } from 'vitest'
import { buildSpanTree, criticalPath } from '@sightline/schema'
import { testSpan } from '../features/trace/test-span'
import { buildTraceModel } from '../features/trace/trace-model'
it('prof', () => {
  const spans = [testSpan('root', '', 0, 1e6, { kind: 'agent', agentName: 'o' })]
  for (let g = 0; g < 2000; g++) {
    spans.push(testSpan(`a${g}`, 'root', g * 20, g * 20 + 18, { kind: 'agent', agentName: ['r', 'c', 'v'][g % 3]! }))
    for (let k = 0; k < 4; k++) spans.push(testSpan(`t${g}.${k}`, `a${g}`, g * 20 + k * 4, g * 20 + k * 4 + 3, { kind: k ? 'tool' : 'llm', toolName: `x${k}`, isLlmCall: !k }))
  }
  for (let i = 0; i < 3; i++) {
    let t = performance.now(); const tree = buildSpanTree(spans); const a = performance.now() - t
    t = performance.now(); criticalPath(tree); const b = performance.now() - t
    t = performance.now(); buildTraceModel(spans); const c = performance.now() - t
    console.log({ tree: a, crit: b, model: c })
  }
})
