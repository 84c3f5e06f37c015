import { z } from 'zod'
import { TraceOutcomeSchema } from '../trace.js'
import { A2aProtocolSchema, AgentCardSummarySchema } from './agent-card.js'

/**
 * The fleet registry's API (`/api/v1/registry/*`): the console's views of agents, tools, drift and
 * the fleet map, and two exports for discovery clients: Agent Cards (`/registry/agents`) and MCP
 * servers in the official MCP registry's `server.json` shape (`/registry/tools`).
 */

const isoDateTime = z.iso.datetime({ offset: true })
const name = z.string().min(1).max(512)

/** `POST /api/v1/registry/cards`: the card is validated (A2A 0.3 or 1.0) before anything is stored. */
export const RegisterCardRequestSchema = z.object({
  card: z.unknown(),
  source: z.enum(['sdk', 'cli', 'api']).default('api'),
  /** Where the CLI fetched it from (a URL or a file name), for the record. */
  sourceUrl: z.string().max(2048).default(''),
})
export type RegisterCardRequest = z.infer<typeof RegisterCardRequestSchema>

export const RegisterCardResponseSchema = z.object({
  agent: z.string(),
  revision: z.number().int(),
  /** False when this exact card was already stored (only its last-received time moved). */
  created: z.boolean(),
  protocolVersion: A2aProtocolSchema,
})
export type RegisterCardResponse = z.infer<typeof RegisterCardResponseSchema>

export const RegistryRangeQuerySchema = z.object({ from: isoDateTime.optional(), to: isoDateTime.optional() })

/**
 * Health over a range, from the rollups (resolved traces). Units: agent invocations for an agent,
 * counted calls for a tool, delegations for an A2A edge; failures use the trace outcome definition.
 */
export const HealthSchema = z.object({
  calls: z.number(),
  failures: z.number(),
  recovered: z.number(),
  /** failures / calls; null without calls. */
  errorRate: z.number().nullable(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  /** Agents: their own model calls. Tools: model calls made inside the tool. */
  costUsd: z.number(),
  /** Agents: the cost of the work they delegated (everything under their A2A hand-offs); 0 for tools. */
  delegatedCostUsd: z.number(),
  /** First and last 5-minute bucket with activity in the range. */
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  /** Calls per step across the range (`step` of the response). */
  sparkline: z.array(z.number()),
})
export type Health = z.infer<typeof HealthSchema>

export const CardRecordSchema = z.object({
  revision: z.number().int(),
  protocol: A2aProtocolSchema,
  source: z.string(),
  sourceUrl: z.string(),
  firstReceived: z.string(),
  lastReceived: z.string(),
  summary: AgentCardSummarySchema,
  card: z.record(z.string(), z.unknown()),
})
export type CardRecord = z.infer<typeof CardRecordSchema>

export const RegistryAgentReleaseSchema = z.object({
  release: z.string(),
  health: HealthSchema,
  card: CardRecordSchema.nullable(),
})

export const RegistryAgentSchema = z.object({
  name: z.string(),
  services: z.array(z.string()),
  environments: z.array(z.string()),
  /** Served over A2A (seen as the server end of a delegation). */
  isA2a: z.boolean(),
  /** All time, from traffic. */
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  health: HealthSchema,
  releases: z.array(RegistryAgentReleaseSchema),
  /** The newest card revision (its agent version's card when traffic names one). */
  card: CardRecordSchema.nullable(),
  cardRevisions: z.number().int(),
  tools: z.array(z.string()),
  delegatesTo: z.array(z.string()),
  calledBy: z.array(z.string()),
  /** Open anomalies about this agent (the anomaly feed). */
  openAnomalies: z.number().int(),
})
export type RegistryAgent = z.infer<typeof RegistryAgentSchema>

export const RegistryAgentsResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  stepMs: z.number(),
  agents: z.array(RegistryAgentSchema),
})
export type RegistryAgentsResponse = z.infer<typeof RegistryAgentsResponseSchema>

export const RegistryToolSchema = z.object({
  name: z.string(),
  /** MCP server name; '' for a local function tool. */
  server: z.string(),
  isMcp: z.boolean(),
  serverVersion: z.string(),
  transport: z.string(),
  url: z.string(),
  description: z.string(),
  inputSchema: z.unknown().nullable(),
  schemaSource: z.enum(['tools/list', 'gen_ai']).nullable(),
  schemaVersions: z.number().int(),
  /** Still in the server's latest `tools/list` (null when the server's listings were never captured). */
  listed: z.boolean().nullable(),
  callers: z.array(z.object({ agent: z.string(), calls: z.number(), failures: z.number() })),
  health: HealthSchema,
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
})
export type RegistryTool = z.infer<typeof RegistryToolSchema>

export const RegistryToolsResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  stepMs: z.number(),
  tools: z.array(RegistryToolSchema),
})
export type RegistryToolsResponse = z.infer<typeof RegistryToolsResponseSchema>

export const FleetNodeSchema = z.object({
  /** `agent:<name>` or `tool:<server>/<name>` (server '' for local tools). */
  id: z.string(),
  kind: z.enum(['agent', 'tool']),
  label: z.string(),
  /** Service of an agent, MCP server of a tool ('' for local tools). */
  group: z.string(),
  calls: z.number(),
  errorRate: z.number().nullable(),
})
export type FleetNode = z.infer<typeof FleetNodeSchema>

export const FleetEdgeSchema = z.object({
  id: z.string(),
  source: z.string(),
  target: z.string(),
  kind: z.enum(['a2a', 'mcp', 'local']),
  /** The rollup edge value's two ends (agent, tool or delegate; '' = unattributed): what `edges/traces` takes. */
  sourceName: z.string(),
  targetName: z.string(),
  calls: z.number(),
  failures: z.number(),
  errorRate: z.number().nullable(),
  p95Ms: z.number().nullable(),
  costUsd: z.number(),
})
export type FleetEdge = z.infer<typeof FleetEdgeSchema>

export const FleetMapResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  nodes: z.array(FleetNodeSchema),
  edges: z.array(FleetEdgeSchema),
})
export type FleetMapResponse = z.infer<typeof FleetMapResponseSchema>

/** The traces behind one fleet-map edge (`kind` is the rollup edge dimension). */
export const EdgeTracesQuerySchema = RegistryRangeQuerySchema.extend({
  kind: z.enum(['agent_tool', 'agent_agent']),
  source: z.string().max(512),
  target: z.string().max(512),
  limit: z.coerce.number().int().min(1).max(200).default(50),
})
export type EdgeTracesQuery = z.infer<typeof EdgeTracesQuerySchema>

export const EdgeTracesResponseSchema = z.object({
  traces: z.array(
    z.object({
      traceId: z.string(),
      name: z.string(),
      startTime: z.string(),
      durationMs: z.number(),
      outcome: TraceOutcomeSchema,
      costUsd: z.number().nullable(),
    }),
  ),
})
export type EdgeTracesResponse = z.infer<typeof EdgeTracesResponseSchema>

export const RegistryEventKindSchema = z.enum([
  'agent_version',
  'card_changed',
  'tool_schema_changed',
  'tool_disappeared',
  'new_tool_call',
])
export type RegistryEventKind = z.infer<typeof RegistryEventKindSchema>

export const JsonChangeSchema = z.object({ path: z.string(), before: z.unknown(), after: z.unknown() })
export type JsonChange = z.infer<typeof JsonChangeSchema>

export const RegistryEventSchema = z.object({
  id: z.string(),
  kind: RegistryEventKindSchema,
  /** The agent, or the tool as `<server>/<tool>` (server '' for local tools). */
  subject: z.string(),
  at: z.string(),
  summary: z.string(),
  diff: z.object({ before: z.unknown(), after: z.unknown(), changes: z.array(JsonChangeSchema) }),
  detectedAt: z.string(),
})
export type RegistryEvent = z.infer<typeof RegistryEventSchema>

export const RegistryEventsQuerySchema = RegistryRangeQuerySchema.extend({
  kind: RegistryEventKindSchema.optional(),
  subject: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
})
export const RegistryEventsResponseSchema = z.object({
  from: z.string(),
  to: z.string(),
  events: z.array(RegistryEventSchema),
})
export type RegistryEventsResponse = z.infer<typeof RegistryEventsResponseSchema>

export const CardRevisionsResponseSchema = z.object({ agent: z.string(), revisions: z.array(CardRecordSchema) })
export type CardRevisionsResponse = z.infer<typeof CardRevisionsResponseSchema>

const page = { limit: z.coerce.number().int().min(1).max(200).default(50), cursor: z.string().max(512).optional() }

/** `GET /api/v1/registry/agents`: the newest card of every agent, for discovery clients. */
export const DiscoveryAgentsQuerySchema = z.object({
  ...page,
  /** Text in the name, description, skill names and tags. */
  q: z.string().max(512).optional(),
  /** A skill id or tag the agent must have. */
  skill: z.string().max(512).optional(),
  protocol: A2aProtocolSchema.optional(),
})
export const DiscoveryAgentsResponseSchema = z.object({
  agents: z.array(
    z.object({
      name: z.string(),
      protocol: A2aProtocolSchema,
      revision: z.number().int(),
      lastReceived: z.string(),
      card: z.record(z.string(), z.unknown()),
    }),
  ),
  nextCursor: z.string().nullable(),
})
export type DiscoveryAgentsResponse = z.infer<typeof DiscoveryAgentsResponseSchema>

/** The official MCP registry's `server.json` (schema 2025-12-11), with what Sightline observed under `_meta`. */
export const MCP_SERVER_SCHEMA_URL = 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json'
export const OBSERVED_META_KEY = 'dev.sightline/observed'
export const McpServerJsonSchema = z.object({
  $schema: z.string(),
  /** Reverse-DNS namespace, one slash; an observed name without one is put under `local.sightline/`. */
  name: z.string().regex(/^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/),
  title: z.string().optional(),
  description: z.string().max(100),
  version: z.string().min(1),
  remotes: z.array(z.object({ type: z.enum(['streamable-http', 'sse']), url: z.string() })).optional(),
})
export type McpServerJson = z.infer<typeof McpServerJsonSchema>

export const ObservedToolSchema = z.object({
  name: z.string(),
  description: z.string(),
  inputSchema: z.unknown().nullable(),
  callers: z.array(z.string()),
  calls: z.number(),
  errorRate: z.number().nullable(),
})
export const McpRegistryListResponseSchema = z.object({
  servers: z.array(
    z.object({
      server: McpServerJsonSchema,
      _meta: z.object({
        [OBSERVED_META_KEY]: z.object({
          serverName: z.string(),
          versionKnown: z.boolean(),
          transport: z.string(),
          url: z.string(),
          firstSeen: z.string().nullable(),
          lastSeen: z.string().nullable(),
          tools: z.array(ObservedToolSchema),
        }),
      }),
    }),
  ),
  metadata: z.object({ nextCursor: z.string().nullable(), count: z.number().int() }),
})
export type McpRegistryListResponse = z.infer<typeof McpRegistryListResponseSchema>

export const DiscoveryToolsQuerySchema = z.object({
  ...page,
  q: z.string().max(512).optional(),
  server: name.optional(),
})
