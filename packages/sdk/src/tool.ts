/**
 * Tool execution spans (`execute_tool {name}`, kind INTERNAL). Arguments and result are content: they
 * are written only when capture is on, and go through the redactor.
 */
import { SpanKind, type Span } from '@opentelemetry/api'
import {
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_CALL_RESULT,
  ATTR_GEN_AI_TOOL_NAME,
} from '@sightline/schema/semconv'
import { OPERATION_EXECUTE_TOOL } from './attributes.js'
import { setContent } from './content.js'
import { definedAttributes, runInSpan } from './span-runner.js'

/**
 * Optional details of a tool call.
 *
 * @example
 * ```ts
 * await withTool('get_weather', args, () => getWeather(args), { callId: toolCall.id, captureContent: false })
 * ```
 */
export interface ToolOptions {
  /** The model's id for this call (`call_abc123`), linking the span to the LLM's tool request. */
  callId?: string
  /** Overrides registerSightline's `captureContent` for this call. */
  captureContent?: boolean
}

/**
 * Runs a tool inside an `execute_tool {name}` span. `args` is recorded as
 * `gen_ai.tool.call.arguments` and `fn`'s return value as `gen_ai.tool.call.result` (JSON text, only
 * with content capture on). Errors are recorded on the span and rethrown.
 *
 * @example
 * ```ts
 * const weather = await withTool('get_weather', { city: 'Oslo' }, () => getWeather('Oslo'), {
 *   callId: toolCall.id,
 * })
 * ```
 */
export function withTool<T>(
  name: string,
  args: unknown,
  fn: (span: Span) => T | Promise<T>,
  opts: ToolOptions = {},
): Promise<T> {
  const attributes = definedAttributes({
    [ATTR_GEN_AI_OPERATION_NAME]: OPERATION_EXECUTE_TOOL,
    [ATTR_GEN_AI_TOOL_NAME]: name,
    [ATTR_GEN_AI_TOOL_CALL_ID]: opts.callId,
  })
  return runInSpan(
    { name: `${OPERATION_EXECUTE_TOOL} ${name}`, kind: SpanKind.INTERNAL, attributes },
    (span) => {
      setContent(span, ATTR_GEN_AI_TOOL_CALL_ARGUMENTS, args, opts.captureContent)
      return fn(span)
    },
    (span, result) => setContent(span, ATTR_GEN_AI_TOOL_CALL_RESULT, result, opts.captureContent),
  )
}
