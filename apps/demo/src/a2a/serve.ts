/**
 * One A2A agent server (JSON-RPC over HTTP, `@a2a-js/sdk`). Each request runs inside the SDK's
 * withA2aServer: its SERVER span continues the caller's trace from the `traceparent` header, which
 * the default call-context builder keeps in `context.state`.
 */
import {
  AgentEvent,
  DefaultRequestHandler,
  InMemoryTaskStore,
  STATE_HEADERS_KEY,
  type AgentExecutor,
} from '@a2a-js/sdk/server'
import { agentCardHandler, jsonRpcHandler, UserBuilder } from '@a2a-js/sdk/server/express'
import type { AgentCard } from '@a2a-js/sdk'
import type { Span } from '@opentelemetry/api'
import { registerAgentCard, withA2aServer, type HeaderSource } from '@sightline/sdk'
import express from 'express'
import { listen, type Started } from '../lib/service.js'
import { finalTask, fromMessage, type TaskRequest } from './messages.js'

export interface AgentServerSpec {
  name: string
  description: string
  version: string
  port: number
  /** Resolves to the answer; a throw becomes a FAILED task (and an error on the span). */
  handle(request: TaskRequest, span: Span): Promise<string>
}

const JSONRPC_PATH = '/a2a/jsonrpc'

function agentCard(spec: AgentServerSpec): AgentCard {
  return {
    name: spec.name,
    description: spec.description,
    version: spec.version,
    // The URL is filled in once the port is known (port 0 picks one).
    supportedInterfaces: [{ url: '', protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '1.0' }],
    provider: { organization: 'Sightline demo', url: 'https://github.com/sightline' },
    capabilities: { streaming: false, pushNotifications: false, extensions: [] },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [
      {
        id: spec.name,
        name: spec.name,
        description: spec.description,
        tags: ['demo'],
        examples: [],
        inputModes: [],
        outputModes: [],
        securityRequirements: [],
      },
    ],
    signatures: [],
  }
}

export async function startAgentServer(spec: AgentServerSpec): Promise<Started> {
  const card = agentCard(spec)
  const executor: AgentExecutor = {
    async execute(requestContext, eventBus) {
      const headers = requestContext.context.state.get(STATE_HEADERS_KEY) as HeaderSource
      const request = fromMessage(requestContext.userMessage)
      const { taskId, contextId } = requestContext
      let ok = true
      let answer: string
      let traceId = ''
      try {
        answer = await withA2aServer(
          { agentName: spec.name, method: 'SendMessage', taskId, contextId },
          headers,
          (span) => {
            traceId = span.spanContext().traceId
            return spec.handle(request, span)
          },
        )
      } catch (err) {
        ok = false
        answer = err instanceof Error ? err.message : String(err)
      }
      eventBus.publish(AgentEvent.task(finalTask(taskId, contextId, ok, answer, traceId)))
      eventBus.finished()
    },
    cancelTask: async () => {},
  }
  const requestHandler = new DefaultRequestHandler(card, new InMemoryTaskStore(), executor)
  const app = express()
  app.use('/.well-known/agent-card.json', agentCardHandler({ agentCardProvider: requestHandler }))
  app.use(JSONRPC_PATH, jsonRpcHandler({ requestHandler, userBuilder: UserBuilder.noAuthentication }))
  const started = await listen(app, spec.port)
  card.supportedInterfaces[0]!.url = `${started.url}${JSONRPC_PATH}`
  // The registry learns the card at start-up; an agent serves on even if Sightline refuses it.
  await registerAgentCard(card).catch((err: unknown) =>
    console.error(`${spec.name}: agent card not registered: ${(err as Error).message}`),
  )
  return started
}
