/**
 * The runner traces its own request: each run's `traceparent` names a span of the runner, and the
 * runner sends that span to Sightline once the agent answered. Without it the agent's first span
 * would point at a parent that never arrives, and the trace would stay `running` (no root) until
 * the server gives up waiting for it. The span carries the replay mark on its resource, so the
 * trace is a regression run even when the runner did not start the agent. It judges nothing: its
 * status stays unset, and the outcome is what the agent's own spans say.
 */
import { ATTR_SERVICE_NAME } from '@sightline/schema/semconv'
import { SpanKind, StatusCode, toKeyValues, type ExportTraceServiceRequest } from '../import/otlp.js'
import { sendRequest } from '../import/send.js'
import { markAttributes, type RunMark } from './run-marker.js'

export const RUNNER_SERVICE = 'sightline-regress'

/** A caller's span around one request to an agent: the root of the trace the agent continues. */
export interface CallerSpan {
  traceId: string
  spanId: string
  name: string
  service: string
  startMs: number
  endMs: number
  /** What was sent and what the agent answered (shown as the trace's previews). */
  input: string
  output: string
  /** Extra resource attributes (the runner's replay mark). */
  resource?: Record<string, string>
}

const nanos = (ms: number) => (BigInt(Math.round(ms)) * 1_000_000n).toString()
const messages = (role: 'user' | 'assistant', text: string) =>
  JSON.stringify([{ role, parts: [{ type: 'text', content: text }] }])

function callerSpanExport(span: CallerSpan): ExportTraceServiceRequest {
  return {
    resourceSpans: [
      {
        resource: { attributes: toKeyValues({ [ATTR_SERVICE_NAME]: span.service, ...span.resource }) },
        scopeSpans: [
          {
            scope: { name: '@sightline/cli regress', version: '0.1.0' },
            spans: [
              {
                traceId: span.traceId,
                spanId: span.spanId,
                name: span.name,
                kind: SpanKind.CLIENT,
                startTimeUnixNano: nanos(span.startMs),
                endTimeUnixNano: nanos(Math.max(span.startMs, span.endMs)),
                attributes: toKeyValues({
                  'gen_ai.input.messages': messages('user', span.input),
                  'gen_ai.output.messages': messages('assistant', span.output),
                }),
                status: { code: StatusCode.UNSET },
                events: [],
              },
            ],
          },
        ],
      },
    ],
  }
}

/** Sends the span; throws (with the server's message) when Sightline refuses it or cannot be reached. */
export async function sendCallerSpan(
  sightlineUrl: string,
  apiKey: string | undefined,
  span: CallerSpan,
): Promise<void> {
  const result = await sendRequest(callerSpanExport(span), sightlineUrl, apiKey)
  if (result.rejectedSpans > 0)
    throw new Error(`Sightline refused the request span: ${result.rejectionMessages.join('; ')}`)
}

/** The runner's span around one run's request, marked as a replay of `mark.caseId`. */
export function runnerSpan(span: Omit<CallerSpan, 'name' | 'service' | 'resource'>, mark: RunMark): CallerSpan {
  return { ...span, name: `sightline regress ${mark.caseId}`, service: RUNNER_SERVICE, resource: markAttributes(mark) }
}
