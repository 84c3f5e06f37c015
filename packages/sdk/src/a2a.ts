/**
 * A2A (agent-to-agent) tracing. The caller runs withA2aCall() (a CLIENT span, shown by Sightline as a
 * hand-off) and sends its context as W3C `traceparent`/`tracestate` HTTP headers; the remote agent
 * runs withA2aServer() (a SERVER span, shown as that agent), so both sides share one trace.
 */
import { context, SpanKind, type Span } from '@opentelemetry/api'
import {
  ATTR_A2A_AGENT_NAME,
  ATTR_A2A_CONTEXT_ID,
  ATTR_A2A_METHOD,
  ATTR_A2A_TASK_ID,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
} from '@sightline/schema/semconv'
import { OPERATION_INVOKE_AGENT } from './attributes.js'
import { extractContext, traceHeadersOf, type HeaderSource, type TraceHeaders } from './propagation.js'
import { definedAttributes, runInSpan } from './span-runner.js'

/**
 * The active trace context as HTTP headers, to add to an outgoing A2A request by hand. Empty when no
 * span is active.
 *
 * @example
 * ```ts
 * await fetch(agentUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...a2aTraceHeaders() }, body
 * })
 * ```
 */
export function a2aTraceHeaders(): TraceHeaders {
  return traceHeadersOf()
}

/**
 * Wraps `fetch` so every request carries the active trace context. Headers the caller already set
 * (including its own `traceparent`) win. Pass it to `@a2a-js/sdk` transports as `fetchImpl`.
 *
 * @example
 * ```ts
 * import { ClientFactory, ClientFactoryOptions, JsonRpcTransportFactory } from '@a2a-js/sdk/client'
 * const factory = new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
 *   transports: [new JsonRpcTransportFactory({ fetchImpl: tracedFetch() })],
 * }))
 * ```
 */
export function tracedFetch(fetchImpl?: typeof fetch): typeof fetch {
  return (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined))
    for (const [name, value] of Object.entries(traceHeadersOf())) {
      if (value !== undefined && !headers.has(name)) headers.set(name, value)
    }
    // Resolved per call, not captured at wrap time, so a fetch patched later (tests, polyfills) is used.
    return (fetchImpl ?? globalThis.fetch)(input, { ...init, headers })
  }
}

/**
 * The remote agent and the A2A request being sent to it.
 *
 * @example
 * ```ts
 * const options: A2aCallOptions = { targetAgent: 'billing-agent', method: 'SendMessage' }
 * ```
 */
export interface A2aCallOptions {
  /** Name of the agent being called (from its agent card). */
  targetAgent: string
  /** A2A method, e.g. `SendMessage` (v1.0) or `message/send` (v0.3). */
  method: string
  taskId?: string
  contextId?: string
}

/**
 * Handle passed to withA2aCall's callback.
 *
 * @example
 * ```ts
 * await withA2aCall(options, async (call) => {
 *   const res = await send({ headers: call.headers })
 *   call.recordTask({ taskId: res.taskId })
 * })
 * ```
 */
export interface A2aCallHandle {
  readonly span: Span
  /** Headers for this call's span; `tracedFetch()` inside the callback adds the same ones. */
  readonly headers: TraceHeaders
  /** Records ids the remote agent assigned, once its response arrives. */
  recordTask(ids: { taskId?: string; contextId?: string }): void
}

/**
 * Runs an outgoing A2A request inside an `invoke_agent {targetAgent}` CLIENT span with `a2a.*`
 * attributes. Inside `fn` that span is the active one, so `tracedFetch()`/`a2aTraceHeaders()` send
 * its context and the remote agent's span becomes its child.
 *
 * @example
 * ```ts
 * const result = await withA2aCall({ targetAgent: 'billing-agent', method: 'SendMessage' }, async (call) => {
 *   const res = await client.sendMessage({ message })   // client built with tracedFetch()
 *   call.recordTask({ taskId: res.task?.id, contextId: res.task?.contextId })
 *   return res
 * })
 * ```
 */
export function withA2aCall<T>(options: A2aCallOptions, fn: (call: A2aCallHandle) => T | Promise<T>): Promise<T> {
  const attributes = definedAttributes({
    [ATTR_GEN_AI_OPERATION_NAME]: OPERATION_INVOKE_AGENT,
    [ATTR_GEN_AI_AGENT_NAME]: options.targetAgent,
    [ATTR_A2A_AGENT_NAME]: options.targetAgent,
    [ATTR_A2A_METHOD]: options.method,
    [ATTR_A2A_TASK_ID]: options.taskId,
    [ATTR_A2A_CONTEXT_ID]: options.contextId,
  })
  const name = `${OPERATION_INVOKE_AGENT} ${options.targetAgent}`
  return runInSpan({ name, kind: SpanKind.CLIENT, attributes }, (span) =>
    fn({
      span,
      headers: traceHeadersOf(),
      recordTask: (ids) =>
        span.setAttributes(
          definedAttributes({
            [ATTR_A2A_TASK_ID]: ids.taskId,
            [ATTR_A2A_CONTEXT_ID]: ids.contextId,
          }),
        ),
    }),
  )
}

/**
 * Runs `fn` in the trace context received in `headers`, without starting a span: spans `fn` starts
 * become children of the caller's span. Use withA2aServer() to also get a span for the remote agent.
 *
 * @example
 * ```ts
 * // express: every A2A request continues its caller's trace
 * app.use((req, _res, next) => continueA2aTrace(req.headers, next))
 * ```
 */
export function continueA2aTrace<T>(headers: HeaderSource, fn: () => T): T {
  return context.with(extractContext(headers), fn)
}

/**
 * The agent serving an A2A request.
 *
 * @example
 * ```ts
 * const options: A2aServerOptions = { agentName: 'billing-agent', method: 'SendMessage', taskId: ctx.taskId }
 * ```
 */
export interface A2aServerOptions {
  /** This agent's name (from its agent card). */
  agentName: string
  method: string
  taskId?: string
  contextId?: string
}

/**
 * Runs the handling of an incoming A2A request inside an `invoke_agent {agentName}` SERVER span whose
 * parent is the caller's span from `headers` (same trace id). In an `@a2a-js/sdk` AgentExecutor the
 * request headers are in `requestContext.context.state.get('headers')` (default context builder).
 *
 * @example
 * ```ts
 * const executor: AgentExecutor = {
 *   async execute(requestContext, eventBus) {
 *     const headers = requestContext.context.state.get('headers') as Record<string, string>
 *     await withA2aServer(
 *       { agentName: 'billing-agent', method: 'SendMessage', taskId: requestContext.taskId, contextId:
 * requestContext.contextId },
 *       headers,
 *       () => runBillingAgent(requestContext, eventBus),
 *     )
 *   },
 *   cancelTask: async () => {},
 * }
 * ```
 */
export function withA2aServer<T>(
  options: A2aServerOptions,
  headers: HeaderSource,
  fn: (span: Span) => T | Promise<T>,
): Promise<T> {
  const attributes = definedAttributes({
    [ATTR_GEN_AI_OPERATION_NAME]: OPERATION_INVOKE_AGENT,
    [ATTR_GEN_AI_AGENT_NAME]: options.agentName,
    [ATTR_A2A_AGENT_NAME]: options.agentName,
    [ATTR_A2A_METHOD]: options.method,
    [ATTR_A2A_TASK_ID]: options.taskId,
    [ATTR_A2A_CONTEXT_ID]: options.contextId,
  })
  const name = `${OPERATION_INVOKE_AGENT} ${options.agentName}`
  return runInSpan({ name, kind: SpanKind.SERVER, attributes, parent: extractContext(headers) }, fn)
}
