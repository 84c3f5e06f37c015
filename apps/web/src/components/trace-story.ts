/**
 * How the console words a trace's resolved story (outcome, its reason, tags). The meaning comes
 * from the API (packages/core decides it once); this module only picks the words and the span a
 * reason points at, so the list, the trace view and the session page say the same thing.
 */
import type { TraceOutcome, TraceSummary, TraceTag } from '@sightline/schema'

export const OUTCOME_TITLES: Record<TraceOutcome, string> = {
  ok: 'Nothing failed',
  failed: 'The trace did not achieve its goal: the root failed, or an agent or delegation failed and was not recovered',
  recovered: 'Something failed inside and the run still ended well',
  running: 'Still running: the root span has not arrived or has not ended',
}

export const TAG_LABELS: Record<TraceTag, { label: string; title: string }> = {
  loop: { label: 'loop', title: 'A tool was called again and again with the same arguments' },
  'recovered-retry': { label: 'recovered retry', title: 'A failed call was retried successfully' },
  guardrail: { label: 'guardrail', title: 'A guardrail fired' },
  'human-escalation': { label: 'human escalation', title: 'The conversation was handed to a human' },
  partial: { label: 'partial', title: 'The root span never arrived' },
}

export interface OutcomeReason {
  /** '' when there is nothing to say (an ok trace). */
  text: string
  /** The span the reason is about ('' when none). */
  spanId: string
}

/** Why a trace has its outcome: the failure reason, the first error it recovered from, or that it still runs. */
export function outcomeReason(
  trace: Pick<TraceSummary, 'outcome' | 'failureReason' | 'failureSpanId' | 'firstError'>,
): OutcomeReason {
  switch (trace.outcome) {
    case 'failed':
      return {
        text: trace.failureReason || trace.firstError?.message || 'failed',
        spanId: trace.failureSpanId || trace.firstError?.spanId || '',
      }
    case 'recovered':
      return trace.firstError
        ? { text: `recovered from: ${trace.firstError.message || 'an error'}`, spanId: trace.firstError.spanId }
        : { text: '', spanId: '' }
    case 'running':
      return { text: 'still running', spanId: '' }
    case 'ok':
      return { text: '', spanId: '' }
  }
}

/** The name a trace is listed under: its own (root agent or given name), else its root agent. */
export const traceTitle = (trace: Pick<TraceSummary, 'name' | 'rootAgent'>): string =>
  trace.name || trace.rootAgent || '(unnamed)'
