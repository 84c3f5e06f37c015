/**
 * A minimal A2A server on node:http (no express): the agent card at `/.well-known/agent-card.json`
 * and JSON-RPC at `/a2a/jsonrpc`, speaking both dialects through @a2a-js/sdk's own handlers. A
 * request is dispatched by its JSON-RPC method (v0.3 `message/send` vs v1.0 `SendMessage`), falling
 * back on the `A2A-Version` header (absent = 0.3), like the SDK's express handler with `legacyCompat`.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { A2A_VERSION_HEADER, Role, TaskState, type AgentCard, type Message, type Task } from '@a2a-js/sdk'
import {
  AgentEvent,
  defaultServerCallContextBuilder,
  DefaultRequestHandler,
  InMemoryTaskStore,
  JsonRpcTransportHandler,
  UnauthenticatedUser,
  validateVersion,
  type RequestContext,
} from '@a2a-js/sdk/server'
import { LegacyJsonRpcTransportHandler } from '@a2a-js/sdk/compat/v0_3/server'
import { isLegacyJsonRpcMethod } from '@a2a-js/sdk/compat/v0_3'
import { randomUUID } from 'node:crypto'

const JSONRPC_PATH = '/a2a/jsonrpc'
const CARD_PATH = '/.well-known/agent-card.json'

interface A2aAnswer {
  text: string
  ok: boolean
}

export interface A2aServerSpec {
  name: string
  version: string
  description?: string
  /** 0 picks a free port. */
  port?: number
  /** Answers one request; `headers` are the HTTP request headers (for `traceparent`). */
  handle(request: {
    text: string
    metadata: Record<string, unknown>
    headers: http.IncomingHttpHeaders
    taskId: string
    contextId: string
  }): Promise<A2aAnswer>
}

export interface StartedServer {
  url: string
  close(): Promise<void>
}

export function textOf(message: Message | undefined): string {
  return (message?.parts ?? [])
    .map((p) => (p.content?.$case === 'text' ? p.content.value : ''))
    .filter(Boolean)
    .join('\n')
}

export function textMessage(
  text: string,
  role: Role,
  ids: { taskId?: string; contextId?: string } = {},
  metadata?: Record<string, unknown>,
): Message {
  return {
    messageId: randomUUID(),
    contextId: ids.contextId ?? '',
    taskId: ids.taskId ?? '',
    role,
    parts: [{ content: { $case: 'text', value: text }, metadata: undefined, filename: '', mediaType: 'text/plain' }],
    metadata,
    extensions: [],
    referenceTaskIds: [],
  }
}

function finalTask(taskId: string, contextId: string, answer: A2aAnswer): Task {
  return {
    id: taskId,
    contextId,
    status: {
      state: answer.ok ? TaskState.TASK_STATE_COMPLETED : TaskState.TASK_STATE_FAILED,
      message: textMessage(answer.text, Role.ROLE_AGENT, { taskId, contextId }),
      timestamp: new Date().toISOString(),
    },
    artifacts: [],
    history: [],
    metadata: undefined,
  }
}

function agentCard(spec: A2aServerSpec, url: string): AgentCard {
  return {
    name: spec.name,
    description: spec.description ?? spec.name,
    version: spec.version,
    supportedInterfaces: [
      { url, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '1.0' },
      { url, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '0.3' },
    ],
    provider: undefined,
    capabilities: { streaming: false, pushNotifications: false, extensions: [] },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [
      {
        id: spec.name,
        name: spec.name,
        description: spec.description ?? spec.name,
        tags: [],
        examples: [],
        inputModes: [],
        outputModes: [],
        securityRequirements: [],
      },
    ],
    signatures: [],
  }
}

async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** Starts the server on 127.0.0.1; `url` is its base URL (the card is under it). */
export async function startA2aServer(spec: A2aServerSpec): Promise<StartedServer> {
  const card = agentCard(spec, '')
  const executor = {
    async execute(ctx: RequestContext, eventBus: { publish(e: unknown): void; finished(): void }) {
      const headers = (ctx.context?.state.get('headers') ?? {}) as http.IncomingHttpHeaders
      let answer: A2aAnswer
      try {
        answer = await spec.handle({
          text: textOf(ctx.userMessage),
          metadata: (ctx.userMessage.metadata ?? {}) as Record<string, unknown>,
          headers,
          taskId: ctx.taskId,
          contextId: ctx.contextId,
        })
      } catch (err) {
        answer = { ok: false, text: err instanceof Error ? err.message : String(err) }
      }
      eventBus.publish(AgentEvent.task(finalTask(ctx.taskId, ctx.contextId, answer)))
      eventBus.finished()
    },
    cancelTask: async () => {},
  }
  const requestHandler = new DefaultRequestHandler(card, new InMemoryTaskStore(), executor as never)
  const v1 = new JsonRpcTransportHandler(requestHandler)
  const legacy = new LegacyJsonRpcTransportHandler(requestHandler)
  const server = http.createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '').split('?')[0]
      if (req.method === 'GET' && path === CARD_PATH) {
        // A superset card: v1.0 `supportedInterfaces` plus the v0.3 `url`/`protocolVersion` fields.
        const body = {
          ...card,
          url: card.supportedInterfaces[0]!.url,
          protocolVersion: '0.3',
          preferredTransport: 'JSONRPC',
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
        return
      }
      if (req.method !== 'POST' || path !== JSONRPC_PATH) {
        res.writeHead(404).end()
        return
      }
      let requested = (req.headers[A2A_VERSION_HEADER.toLowerCase()] as string | undefined) || undefined
      let useLegacy = !requested || requested.startsWith('0.')
      let id: unknown = null
      try {
        const body = JSON.parse(await readBody(req)) as Record<string, unknown>
        id = body.id ?? null
        // The method name settles the dialect (v0.3 `message/send`, v1.0 `SendMessage`): some v1.0
        // clients, @a2a-js/sdk's among them, send no A2A-Version header.
        if (typeof body.method === 'string') {
          useLegacy = isLegacyJsonRpcMethod(body.method)
          if (!useLegacy && !requested) requested = '1.0'
        }
        const context = defaultServerCallContextBuilder({
          extensions: undefined,
          user: new UnauthenticatedUser(),
          headers: req.headers,
          requestedVersion: requested,
        })
        validateVersion(context.requestedVersion ?? '0.3', card, 'JSONRPC')
        const result = await (useLegacy ? legacy : v1).handle(body, context)
        if (result && typeof (result as AsyncGenerator)[Symbol.asyncIterator] === 'function') {
          res.writeHead(200, { 'content-type': 'text/event-stream' })
          for await (const event of result as AsyncGenerator<unknown>) res.write(`data: ${JSON.stringify(event)}\n\n`)
          res.end()
          return
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result))
      } catch (err) {
        const error = useLegacy
          ? LegacyJsonRpcTransportHandler.mapToLegacyJSONRPCError(err)
          : JsonRpcTransportHandler.mapToJSONRPCError(err)
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id, error }))
      }
    })()
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(spec.port ?? 0, '127.0.0.1', () => resolve())
  })
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  for (const intf of card.supportedInterfaces) intf.url = `${url}${JSONRPC_PATH}`
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
