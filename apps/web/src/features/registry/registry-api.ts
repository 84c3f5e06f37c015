/** The fleet registry's reads, through the client's one HTTP seam (responses parsed with the contract). */
import {
  EdgeTracesResponseSchema,
  FleetMapResponseSchema,
  RegistryAgentsResponseSchema,
  RegistryEventsResponseSchema,
  RegistryToolsResponseSchema,
  type EdgeTracesResponse,
  type FleetMapResponse,
  type RegistryAgentsResponse,
  type RegistryEventsResponse,
  type RegistryToolsResponse,
} from '@sightline/schema'
import { request, toQuery } from '../../api/client'

export interface Range {
  from: string
  to: string
}

export const registryApi = {
  agents: (r: Range, signal?: AbortSignal): Promise<RegistryAgentsResponse> =>
    request('load the agent registry', `/api/v1/registry/fleet/agents${toQuery({ ...r })}`, RegistryAgentsResponseSchema, { signal }),
  tools: (r: Range, signal?: AbortSignal): Promise<RegistryToolsResponse> =>
    request('load the tool registry', `/api/v1/registry/fleet/tools${toQuery({ ...r })}`, RegistryToolsResponseSchema, { signal }),
  events: (r: Range, signal?: AbortSignal): Promise<RegistryEventsResponse> =>
    request('load drift events', `/api/v1/registry/events${toQuery({ ...r, limit: '500' })}`, RegistryEventsResponseSchema, { signal }),
  map: (r: Range, signal?: AbortSignal): Promise<FleetMapResponse> =>
    request('load the fleet map', `/api/v1/registry/fleet/map${toQuery({ ...r })}`, FleetMapResponseSchema, { signal }),
  edgeTraces: (r: Range, edge: { kind: 'agent_tool' | 'agent_agent'; source: string; target: string }, signal?: AbortSignal): Promise<EdgeTracesResponse> =>
    request('load the traces behind the edge', `/api/v1/registry/fleet/edges/traces${toQuery({ ...r, ...edge, limit: '50' })}`, EdgeTracesResponseSchema, { signal }),
}
