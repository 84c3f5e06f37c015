import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js'
import { afterEach, describe, expect, it } from 'vitest'
import { startTestSdk, type TestSdk } from '../test/helpers.js'
import { AgentCardError, registerAgentCard, registerSightline, withMcpToolsList } from './index.js'

let t: TestSdk | undefined
afterEach(async () => {
  await t?.sdk.shutdown()
  t = undefined
})

describe('withMcpToolsList', () => {
  it('records what a real tools/list answered, input schemas included, with the server identity', async () => {
    t = startTestSdk()
    const server = new Server({ name: 'docs', version: '1.2.0' }, { capabilities: { tools: {} } })
    server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: [
        {
          name: 'search',
          description: 'Search docs',
          inputSchema: { type: 'object' as const, properties: { q: { type: 'string' } }, required: ['q'] },
        },
      ],
    }))
    const [a, b] = InMemoryTransport.createLinkedPair()
    const client = new Client({ name: 'agent', version: '1.0.0' })
    await Promise.all([client.connect(a), server.connect(b)])
    const { tools } = await withMcpToolsList(
      { server: 'docs', serverVersion: '1.2.0', transport: 'stdio', url: 'docs-mcp --stdio' },
      () => client.listTools(),
    )
    await client.close()
    expect(tools.map((tool) => tool.name)).toEqual(['search'])
    const [span] = t.exporter.getFinishedSpans()
    expect(span?.name).toBe('tools/list docs')
    expect(span?.attributes).toMatchObject({
      'mcp.method.name': 'tools/list',
      'mcp.server.name': 'docs',
      'mcp.server.version': '1.2.0',
      'mcp.server.transport': 'stdio',
      'mcp.server.url': 'docs-mcp --stdio',
    })
    const listed = JSON.parse(String(span?.attributes['mcp.tools'])) as Array<{
      name: string
      inputSchema: { properties: object }
    }>
    expect(listed).toEqual([{ name: 'search', description: 'Search docs', inputSchema: tools[0]!.inputSchema }])
    expect(listed[0]!.inputSchema.properties).toHaveProperty('q')
  })
})

describe('registerAgentCard', () => {
  async function sightline(
    status: number,
    answer: object,
  ): Promise<{
    url: string
    requests: Array<{ auth: string | undefined; body: unknown }>
    close: () => Promise<void>
  }> {
    const requests: Array<{ auth: string | undefined; body: unknown }> = []
    const srv = http.createServer((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        requests.push({ auth: req.headers.authorization, body: JSON.parse(body) as unknown })
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer))
      })
    })
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
    return {
      url: `http://127.0.0.1:${(srv.address() as AddressInfo).port}`,
      requests,
      close: () => new Promise((resolve) => srv.close(() => resolve())),
    }
  }

  it('posts the card to the endpoint and key registerSightline was given', async () => {
    const s = await sightline(201, { agent: 'billing', revision: 1, created: true, protocolVersion: '1.0' })
    const handle = registerSightline({ endpoint: `${s.url}/`, apiKey: 'sl_x', serviceName: 'billing', register: false })
    try {
      expect(await registerAgentCard({ name: 'billing' })).toEqual({
        agent: 'billing',
        revision: 1,
        created: true,
        protocolVersion: '1.0',
      })
      expect(s.requests).toEqual([{ auth: 'Bearer sl_x', body: { card: { name: 'billing' }, source: 'sdk' } }])
    } finally {
      await handle.shutdown()
      await s.close()
    }
  })

  it("rejects with the server's reason when the card is refused, and without an endpoint", async () => {
    const s = await sightline(400, {
      error: { code: 'bad_request', message: 'Invalid Agent Card: skills: expected array' },
    })
    await expect(registerAgentCard({}, { endpoint: s.url })).rejects.toThrow(
      new AgentCardError('agent card refused: Invalid Agent Card: skills: expected array', 400),
    )
    await s.close()
    await expect(registerAgentCard({})).rejects.toThrow(/needs an endpoint/)
  })
})
