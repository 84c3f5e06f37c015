import type { TraceSummary } from '@sightline/schema'
import { formatCost, formatDuration, formatTokens } from '../../lib/format'

/** The trace's resolved counts: each model call, tool call and delegation once (the numbers the dashboards sum). */
export function TraceTotals({ trace }: { trace: TraceSummary }) {
  const items: Array<[string, string, string?]> = [
    ['Duration', formatDuration(trace.durationMs)],
    [
      'Cost',
      formatCost(trace.costUsd),
      trace.unpricedLlmCalls ? `${trace.unpricedLlmCalls} LLM calls could not be priced` : undefined,
    ],
    [
      'Tokens',
      formatTokens(trace.inputTokens + trace.outputTokens),
      `input ${trace.inputTokens} · cached ${trace.cachedInputTokens} · output ${trace.outputTokens} · ` +
        `reasoning ${trace.reasoningTokens}`,
    ],
    [
      'Model calls',
      String(trace.llmCallCount),
      "Each model call once: spans repeating their children's usage are not calls",
    ],
    [
      'Tool calls',
      String(trace.toolCallCount),
      `Each tool call once (an MCP call traced on both ends is one); ${trace.toolErrorCount} failed`,
    ],
    [
      'Delegations',
      String(trace.delegationCount),
      'Hand-offs to other agents (an A2A call traced on both ends is one)',
    ],
    ['Failures', String(trace.errorCount), 'Failed spans, including tools a later model call reported failed'],
    ['Spans', trace.spanCount.toLocaleString('en-US')],
  ]
  return (
    <dl className="totals" aria-label="Trace totals">
      {items.map(([label, value, title]) => (
        <div key={label} className={label === 'Failures' && trace.errorCount > 0 ? 'total err' : 'total'} title={title}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  )
}
