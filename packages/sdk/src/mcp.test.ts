import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { CallToolRequestSchema } from '@modelcontextprotocol/sdk/types.js'
import { afterEach, describe, expect, it } from 'vitest'
import { parentIdOf, spanIdOf, startTestSdk, traceIdOf, type TestSdk } from '../test/helpers.js'
import { continueMcpTrace, injectMcpMeta, withAgent, withMcpServerTool, withMcpToolCall, withTool } from './index.js'

let t: TestSdk
let client: Client | undefined
afterEach(async () => {
  await client?.close()
  client = undefined
  await t.sdk.shutdown()
})

/** A real MCP client/server pair over the SDK's in-memory transport; the server traces its tools. */
async function connectDocsServer(): Promise<{ client: Client; seenMeta: unknown[] }> {
  const seenMeta: unknown[] = []
  const server = new Server({ name: 'docs', version: '1.0.0' }, { capabilities: { tools: {} } })
  server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
    seenMeta.push(extra._meta)
    const { name, arguments: args } = request.params
    return withMcpServerTool({ server: 'docs', tool: name, args }, extra._meta, async () => {
      await withTool('index_lookup', args, () => 'hit')
      const isError = name === 'broken'
      return { content: [{ type: 'text' as const, text: isError ? 'boom' : 'found 3 pages' }], isError }
    })
  })
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair()
  const mcpClient = new Client({ name: 'agent', version: '1.0.0' })
  await Promise.all([mcpClient.connect(clientTransport), server.connect(serverTransport)])
  return { client: mcpClient, seenMeta }
}

describe('MCP propagation', () => {
  it('injectMcpMeta keeps other _meta keys and adds traceparent', async () => {
    t = startTestSdk()
    expect(injectMcpMeta({ name: 'x', _meta: { progressToken: 7 } })).toEqual({
      name: 'x',
      _meta: { progressToken: 7 },
    })
    await withAgent('a', () => {
      const params = injectMcpMeta({ name: 'x', _meta: { progressToken: 7 } })
      expect(params._meta.progressToken).toBe(7)
      expect(params._meta.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/)
    })
  })

  it('links the server tool span to the client span through params._meta', async () => {
    t = startTestSdk({ captureContent: true })
    const connected = await connectDocsServer()
    client = connected.client
    const result = await withAgent('researcher', () =>
      withMcpToolCall({ server: 'docs', tool: 'search', args: { q: 'otel' } }, (params) =>
        connected.client.callTool(params),
      ),
    )
    expect(result.content).toEqual([{ type: 'text', text: 'found 3 pages' }])

    const agent = t.span('invoke_agent researcher')
    const clientSpan = t.spans().find((s) => s.name === 'tools/call search' && s.kind === SpanKind.CLIENT)
    const serverSpan = t.spans().find((s) => s.name === 'tools/call search' && s.kind === SpanKind.SERVER)
    const inner = t.span('execute_tool index_lookup')
    if (!clientSpan || !serverSpan) throw new Error('client or server span missing')

    expect(connected.seenMeta[0]).toMatchObject({
      traceparent: `00-${traceIdOf(clientSpan)}-${spanIdOf(clientSpan)}-01`,
    })
    expect(parentIdOf(clientSpan)).toBe(spanIdOf(agent))
    expect(parentIdOf(serverSpan)).toBe(spanIdOf(clientSpan))
    expect(parentIdOf(inner)).toBe(spanIdOf(serverSpan))
    expect(new Set([agent, clientSpan, serverSpan, inner].map(traceIdOf)).size).toBe(1)

    expect(clientSpan.attributes).toEqual({
      'mcp.method.name': 'tools/call',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'search',
      'mcp.server.name': 'docs',
      'gen_ai.tool.call.arguments': '{"q":"otel"}',
      'gen_ai.tool.call.result': '{"content":[{"type":"text","text":"found 3 pages"}],"isError":false}',
    })
    expect(serverSpan.attributes['gen_ai.tool.call.arguments']).toBe('{"q":"otel"}')
  })

  it('marks isError results as tool_error on both sides without throwing', async () => {
    t = startTestSdk()
    const connected = await connectDocsServer()
    client = connected.client
    const result = await withMcpToolCall({ server: 'docs', tool: 'broken' }, (params) =>
      connected.client.callTool(params),
    )
    expect(result.isError).toBe(true)
    const spans = t.spans().filter((s) => s.name === 'tools/call broken')
    expect(spans).toHaveLength(2)
    for (const span of spans) {
      expect(span.status.code).toBe(SpanStatusCode.ERROR)
      expect(span.attributes['error.type']).toBe('tool_error')
      expect(span.attributes).not.toHaveProperty('gen_ai.tool.call.result')
    }
  })

  it('continueMcpTrace joins the caller trace without a span of its own', async () => {
    t = startTestSdk()
    const meta = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }
    await continueMcpTrace(meta, () => withTool('work', null, () => 1))
    const span = t.span('execute_tool work')
    expect(traceIdOf(span)).toBe('0af7651916cd43dd8448eb211c80319c')
    expect(parentIdOf(span)).toBe('b7ad6b7169203331')
  })
})
