import type { IncomingHttpHeaders } from 'node:http'
import { SpanKind } from '@opentelemetry/api'
import { ClientFactory, ClientFactoryOptions, JsonRpcTransportFactory } from '@a2a-js/sdk/client'
import { Role, type AgentCard } from '@a2a-js/sdk'
import { afterEach, describe, expect, it } from 'vitest'
import { parentIdOf, spanIdOf, startTestSdk, traceIdOf, type TestSdk } from '../test/helpers.js'
import { startLoopbackServer, type LoopbackServer } from '../test/http-server.js'
import {
  a2aTraceHeaders,
  continueA2aTrace,
  tracedFetch,
  withA2aCall,
  withA2aServer,
  withAgent,
  withTool,
} from './index.js'

let t: TestSdk
let server: LoopbackServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
  await t.sdk.shutdown()
})

describe('A2A propagation', () => {
  it('a2aTraceHeaders is empty without an active span and W3C inside one', async () => {
    t = startTestSdk()
    expect(a2aTraceHeaders()).toEqual({})
    await withAgent('a', () => {
      expect(a2aTraceHeaders().traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/)
    })
  })

  it('makes the server span a child of the client span over a real HTTP request', async () => {
    t = startTestSdk()
    let received: IncomingHttpHeaders = {}
    server = await startLoopbackServer(async (req, _body, res) => {
      received = req.headers
      await withA2aServer(
        { agentName: 'billing', method: 'SendMessage', taskId: 'task-1', contextId: 'ctx-1' },
        req.headers,
        () => withTool('charge_card', { amount: 5 }, () => 'ok'),
      )
      res.end('{}')
    })

    await withAgent('router', () =>
      withA2aCall({ targetAgent: 'billing', method: 'SendMessage' }, async (call) => {
        const res = await tracedFetch()(`${server?.url}/a2a`, { method: 'POST', body: '{}' })
        call.recordTask({ taskId: 'task-1', contextId: 'ctx-1' })
        expect(call.headers.traceparent).toBe(received.traceparent)
        return res.text()
      }),
    )

    const router = t.span('invoke_agent router')
    const client = t.spans().find((s) => s.kind === SpanKind.CLIENT)
    const serverSpan = t.spans().find((s) => s.kind === SpanKind.SERVER)
    const tool = t.span('execute_tool charge_card')
    if (!client || !serverSpan) throw new Error('client or server span missing')

    expect(received.traceparent).toBe(`00-${traceIdOf(client)}-${spanIdOf(client)}-01`)
    expect(parentIdOf(client)).toBe(spanIdOf(router))
    expect(parentIdOf(serverSpan)).toBe(spanIdOf(client))
    expect(parentIdOf(tool)).toBe(spanIdOf(serverSpan))
    expect(new Set([router, client, serverSpan, tool].map(traceIdOf)).size).toBe(1)

    expect(client.name).toBe('invoke_agent billing')
    expect(client.attributes).toEqual({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'billing',
      'a2a.agent.name': 'billing',
      'a2a.method': 'SendMessage',
      'a2a.task.id': 'task-1',
      'a2a.context.id': 'ctx-1',
    })
    expect(serverSpan.name).toBe('invoke_agent billing')
    expect(serverSpan.attributes).toEqual(client.attributes)
  })

  it('tracedFetch keeps a traceparent the caller set and passes tracestate through', async () => {
    t = startTestSdk()
    const seen: Array<string | undefined> = []
    server = await startLoopbackServer((req, _body, res) => {
      seen.push(req.headers.traceparent as string | undefined)
      res.end()
    })
    const own = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'
    await withAgent('a', async () => {
      await tracedFetch()(server?.url ?? '', { headers: { traceparent: own } })
      await tracedFetch()(new Request(server?.url ?? ''))
    })
    expect(seen[0]).toBe(own)
    expect(seen[1]).toMatch(new RegExp(`^00-${traceIdOf(t.span('invoke_agent a'))}-`))

    // continueA2aTrace: no span of its own, but spans inside join the remote trace.
    await continueA2aTrace({ TraceParent: own, tracestate: 'vendor=1' }, () =>
      withTool('remote_child', null, () => undefined),
    )
    const child = t.span('execute_tool remote_child')
    expect(traceIdOf(child)).toBe('0af7651916cd43dd8448eb211c80319c')
    expect(parentIdOf(child)).toBe('b7ad6b7169203331')
    expect(child.spanContext().traceState?.serialize()).toBe('vendor=1')
  })

  it('works as fetchImpl of a real @a2a-js/sdk client', async () => {
    t = startTestSdk()
    let received: IncomingHttpHeaders = {}
    server = await startLoopbackServer((req, body, res) => {
      received = req.headers
      const { id } = JSON.parse(body.toString()) as { id: unknown }
      const message = { messageId: 'm-2', role: 'ROLE_AGENT', parts: [{ text: 'paid' }] }
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ jsonrpc: '2.0', id, result: { message } }))
    })
    const card: AgentCard = {
      name: 'billing',
      description: 'billing agent',
      supportedInterfaces: [
        { url: `${server.url}/a2a`, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '1.0' },
      ],
      provider: undefined,
      version: '1.0.0',
      capabilities: undefined,
      securitySchemes: {},
      securityRequirements: [],
      defaultInputModes: ['text/plain'],
      defaultOutputModes: ['text/plain'],
      skills: [],
      signatures: [],
    }
    const factory = new ClientFactory(
      ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
        transports: [new JsonRpcTransportFactory({ fetchImpl: tracedFetch() })],
      }),
    )
    const client = await factory.createFromAgentCard(card)
    await withA2aCall({ targetAgent: 'billing', method: 'SendMessage' }, () =>
      client.sendMessage({
        tenant: '',
        configuration: undefined,
        metadata: undefined,
        message: {
          messageId: 'm-1',
          contextId: '',
          taskId: '',
          role: Role.ROLE_USER,
          parts: [{ content: { $case: 'text', value: 'pay' }, metadata: undefined, filename: '', mediaType: '' }],
          metadata: undefined,
          extensions: [],
          referenceTaskIds: [],
        },
      }),
    )
    const span = t.span('invoke_agent billing')
    expect(received.traceparent).toBe(`00-${traceIdOf(span)}-${spanIdOf(span)}-01`)
  })
})
