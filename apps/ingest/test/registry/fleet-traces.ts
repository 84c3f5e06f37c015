/**
 * OTLP/JSON for a small fleet, the way @sightline/sdk instruments it: planner (A2A server span, then
 * its chat and an MCP `tools/call weather` traced on both ends) hands off over A2A to the researcher
 * (server span, chat with a cost); the planner's MCP client also captured a `tools/list`. Three
 * services, so spans of one trace arrive in three resource blocks as real exporters send them.
 */
import { hexId, type KeyValue, kv, nanos } from '@sightline/testkit/otlp-json'

export const traceIdOf = (seed: string) => hexId(`fleet:${seed}`, 32)

export const WEATHER_SCHEMA_V1 = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }
export const WEATHER_SCHEMA_V2 = {
  type: 'object',
  properties: { city: { type: 'string' }, units: { type: 'string', enum: ['c', 'f'] } },
  required: ['city'],
}

export interface FleetTraceSpec {
  seed: string
  startMs: number
  plannerRelease: string
  /** The researcher fails (and so does the trace). */
  researcherFails?: boolean
  weatherFails?: boolean
  /** A `tools/list` answer to capture, with this weather schema and whether `calculator` is listed. */
  listing?: { weather: object; calculator: boolean }
  plannerCostUsd?: number
  researcherCostUsd?: number
}

export function fleetTrace(spec: FleetTraceSpec): object {
  const traceId = traceIdOf(spec.seed)
  const id = (name: string) => hexId(`${spec.seed}:${name}`, 16)
  const t = spec.startMs
  const span = (
    name: string,
    spanName: string,
    parent: string,
    kind: number,
    from: number,
    to: number,
    attributes: KeyValue[],
    error?: string,
  ) => ({
    traceId,
    spanId: id(name),
    parentSpanId: parent ? id(parent) : '',
    name: spanName,
    kind,
    startTimeUnixNano: nanos(t + from),
    endTimeUnixNano: nanos(t + to),
    attributes,
    status: error ? { code: 2, message: error } : { code: 0 },
  })
  const mcpServer = [
    kv('mcp.server.name', 'demo-tools'),
    kv('mcp.server.version', '1.0.0'),
    kv('mcp.server.transport', 'streamable-http'),
    kv('mcp.server.url', 'http://127.0.0.1:7301/mcp'),
  ]
  const chat = (name: string, parent: string, from: number, cost: number) =>
    span(name, 'chat gpt-4o', parent, 3, from, from + 100, [
      kv('gen_ai.operation.name', 'chat'),
      kv('gen_ai.provider.name', 'openai'),
      kv('gen_ai.request.model', 'gpt-4o'),
      kv('gen_ai.usage.input_tokens', 1000),
      kv('gen_ai.usage.output_tokens', 100),
      kv('llm.cost.total', cost.toFixed(6)),
    ])
  const planner = [
    span(
      'root',
      'invoke_agent planner-agent',
      '',
      2,
      0,
      2000,
      [
        kv('gen_ai.operation.name', 'invoke_agent'),
        kv('gen_ai.agent.name', 'planner-agent'),
        kv('a2a.agent.name', 'planner-agent'),
        kv('a2a.method', 'SendMessage'),
      ],
      spec.researcherFails ? 'researcher failed' : undefined,
    ),
    chat('p-chat', 'root', 10, spec.plannerCostUsd ?? 0.01),
    span(
      'w-client',
      'tools/call weather',
      'root',
      3,
      200,
      400,
      [
        kv('mcp.method.name', 'tools/call'),
        kv('gen_ai.operation.name', 'execute_tool'),
        kv('gen_ai.tool.name', 'weather'),
        ...mcpServer,
      ],
      spec.weatherFails ? 'tool returned isError' : undefined,
    ),
    span(
      'handoff',
      'invoke_agent researcher-agent',
      'root',
      3,
      500,
      1900,
      [
        kv('gen_ai.operation.name', 'invoke_agent'),
        kv('gen_ai.agent.name', 'researcher-agent'),
        kv('a2a.agent.name', 'researcher-agent'),
        kv('a2a.method', 'SendMessage'),
      ],
      spec.researcherFails ? 'task failed' : undefined,
    ),
    ...(spec.listing
      ? [
          span('list', 'tools/list demo-tools', 'root', 3, 100, 150, [
            kv('mcp.method.name', 'tools/list'),
            ...mcpServer,
            kv(
              'mcp.tools',
              JSON.stringify([
                { name: 'weather', description: 'Current weather for a city', inputSchema: spec.listing.weather },
                ...(spec.listing.calculator
                  ? [
                      {
                        name: 'calculator',
                        description: 'Evaluate arithmetic',
                        inputSchema: { type: 'object', properties: { expression: { type: 'string' } } },
                      },
                    ]
                  : []),
              ]),
            ),
          ]),
        ]
      : []),
  ]
  const tools = [
    span(
      'w-server',
      'tools/call weather',
      'w-client',
      2,
      210,
      390,
      [
        kv('mcp.method.name', 'tools/call'),
        kv('gen_ai.operation.name', 'execute_tool'),
        kv('gen_ai.tool.name', 'weather'),
        ...mcpServer,
      ],
      spec.weatherFails ? 'tool returned isError' : undefined,
    ),
  ]
  const researcher = [
    span(
      'r',
      'invoke_agent researcher-agent',
      'handoff',
      2,
      510,
      1890,
      [
        kv('gen_ai.operation.name', 'invoke_agent'),
        kv('gen_ai.agent.name', 'researcher-agent'),
        kv('a2a.agent.name', 'researcher-agent'),
        kv('a2a.method', 'SendMessage'),
      ],
      spec.researcherFails ? 'no sources' : undefined,
    ),
    chat('r-chat', 'r', 600, spec.researcherCostUsd ?? 0.002),
  ]
  const block = (service: string, version: string, spans: object[]) => ({
    resource: {
      attributes: [
        kv('service.name', service),
        kv('service.version', version),
        kv('deployment.environment.name', 'prod'),
      ],
    },
    scopeSpans: [{ scope: { name: '@sightline/sdk' }, spans }],
  })
  return {
    resourceSpans: [
      block('planner-agent', spec.plannerRelease, planner),
      block('tools-mcp', '1.0.0', tools),
      block('researcher-agent', '3.1.2', researcher),
    ],
  }
}

/** A valid A2A 1.0 card (the shape `@a2a-js/sdk` servers publish). */
export function cardV1(name: string, version: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    description: `${name} plans`,
    version,
    supportedInterfaces: [
      { url: `http://127.0.0.1:7300/a2a/jsonrpc`, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '1.0' },
    ],
    provider: { organization: 'Sightline demo', url: 'https://github.com/sightline' },
    capabilities: { streaming: false, pushNotifications: false, extensions: [] },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [
      {
        id: name,
        name,
        description: 'plans',
        tags: ['demo'],
        examples: [],
        inputModes: [],
        outputModes: [],
        securityRequirements: [],
      },
    ],
    signatures: [],
    ...extra,
  }
}

/** A valid A2A 0.3 card. */
export function cardV03(name: string, version: string): Record<string, unknown> {
  return {
    protocolVersion: '0.3.0',
    name,
    description: `${name} (0.3)`,
    url: 'http://127.0.0.1:7400/a2a',
    preferredTransport: 'JSONRPC',
    version,
    capabilities: { streaming: true },
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain', 'application/json'],
    skills: [{ id: 'lookup', name: 'Lookup', description: 'Looks things up', tags: ['search'] }],
  }
}
