import type { TraceSummary } from '@sightline/schema'
import { formatCost, formatDuration, formatTokens } from '../../lib/format'

export function TraceTotals({ trace }: { trace: TraceSummary }) {
  const items: Array<[string, string, string?]> = [
    ['Duration', formatDuration(trace.durationMs)],
    ['Cost', formatCost(trace.costUsd), trace.unpricedLlmCalls ? `${trace.unpricedLlmCalls} LLM calls could not be priced` : undefined],
    ['Tokens', formatTokens(trace.inputTokens + trace.outputTokens), `input ${trace.inputTokens} · cached ${trace.cachedInputTokens} · output ${trace.outputTokens} · reasoning ${trace.reasoningTokens}`],
    ['In / out', `${formatTokens(trace.inputTokens)} / ${formatTokens(trace.outputTokens)}`],
    ['LLM calls', String(trace.llmCallCount)],
    ['Tool calls', String(trace.toolCallCount)],
    ['Errors', String(trace.errorCount)],
    ['Spans', trace.spanCount.toLocaleString('en-US')],
  ]
  return (
    <dl className="totals" aria-label="Trace totals">
      {items.map(([label, value, title]) => (
        <div key={label} className={label === 'Errors' && trace.errorCount > 0 ? 'total err' : 'total'} title={title}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  )
}
