/**
 * A generated fleet for the fleet map's scale test: `agents` A2A agents over 8 services, `tools` MCP
 * tools over 15 servers. Each agent runs a few traces: its tools (each tool is some agent's), a
 * delegation to the next agent, some failures. OTLP/JSON with the SDK's attributes, deterministic.
 */
import { hexId, kv, nanos } from '@sightline/testkit/otlp-json'

export interface GeneratedFleet {
  requests: object[]
  agents: string[]
  tools: string[]
}

export function generatedFleet(agentCount = 50, toolCount = 300, startMs = Date.now() - 3_600_000): GeneratedFleet {
  const agents = Array.from({ length: agentCount }, (_, i) => `agent-${String(i).padStart(2, '0')}`)
  const tools = Array.from({ length: toolCount }, (_, i) => `tool_${String(i).padStart(3, '0')}`)
  const requests: object[] = []
  agents.forEach((agent, a) => {
    const mine = tools.filter((_, t) => t % agentCount === a)
    for (let run = 0; run < 2; run++) {
      const seed = `${agent}:${run}`
      const traceId = hexId(seed, 32)
      const root = hexId(`${seed}:root`, 16)
      const t0 = startMs + (a * 2 + run) * 20_000
      const spans: object[] = [
        {
          traceId,
          spanId: root,
          parentSpanId: '',
          name: `invoke_agent ${agent}`,
          kind: 2,
          startTimeUnixNano: nanos(t0),
          endTimeUnixNano: nanos(t0 + 3000),
          attributes: [
            kv('gen_ai.operation.name', 'invoke_agent'),
            kv('gen_ai.agent.name', agent),
            kv('a2a.agent.name', agent),
            kv('a2a.method', 'SendMessage'),
          ],
          status: { code: 0 },
        },
      ]
      mine.forEach((tool, i) => {
        const server = `mcp-${String(tools.indexOf(tool) % 15).padStart(2, '0')}`
        const failed = (a + i + run) % 9 === 0
        spans.push({
          traceId,
          spanId: hexId(`${seed}:${tool}`, 16),
          parentSpanId: root,
          name: `tools/call ${tool}`,
          kind: 3,
          startTimeUnixNano: nanos(t0 + 100 + i * 200),
          endTimeUnixNano: nanos(t0 + 250 + i * 200 + (a % 5) * 20),
          attributes: [
            kv('mcp.method.name', 'tools/call'),
            kv('gen_ai.operation.name', 'execute_tool'),
            kv('gen_ai.tool.name', tool),
            kv('mcp.server.name', server),
            kv('mcp.server.transport', 'streamable-http'),
            kv('mcp.server.url', `http://${server}.internal/mcp`),
          ],
          status: failed ? { code: 2, message: 'tool returned isError' } : { code: 0 },
        })
      })
      const callee = agents[(a + 1) % agentCount]!
      const handoff = hexId(`${seed}:handoff`, 16)
      spans.push({
        traceId,
        spanId: handoff,
        parentSpanId: root,
        name: `invoke_agent ${callee}`,
        kind: 3,
        startTimeUnixNano: nanos(t0 + 2000),
        endTimeUnixNano: nanos(t0 + 2900),
        attributes: [
          kv('gen_ai.operation.name', 'invoke_agent'),
          kv('gen_ai.agent.name', callee),
          kv('a2a.agent.name', callee),
          kv('a2a.method', 'SendMessage'),
        ],
        status: { code: 0 },
      })
      spans.push({
        traceId,
        spanId: hexId(`${seed}:callee`, 16),
        parentSpanId: handoff,
        name: `invoke_agent ${callee}`,
        kind: 2,
        startTimeUnixNano: nanos(t0 + 2010),
        endTimeUnixNano: nanos(t0 + 2890),
        attributes: [
          kv('gen_ai.operation.name', 'invoke_agent'),
          kv('gen_ai.agent.name', callee),
          kv('a2a.agent.name', callee),
          kv('a2a.method', 'SendMessage'),
        ],
        status: { code: 0 },
      })
      requests.push({
        resourceSpans: [
          {
            resource: { attributes: [kv('service.name', `svc-${a % 8}`), kv('service.version', '1.0.0')] },
            scopeSpans: [{ scope: { name: '@sightline/sdk' }, spans }],
          },
        ],
      })
    }
  })
  return { requests, agents, tools }
}
