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
import { rangeFromSearch } from './registry-url'

export interface Range {
  from: string
  to: string
}

/** Marks read by the browser test and the benchmark: request → data of the fleet map. */
function loadMap(r: Range, signal?: AbortSignal): Promise<FleetMapResponse> {
  performance.mark('sightline.fleet-map.request')
  return request('load the fleet map', `/api/v1/registry/fleet/map${toQuery({ ...r })}`, FleetMapResponseSchema, {
    signal,
  }).then((data) => {
    performance.mark('sightline.fleet-map.data')
    return data
  })
}

/** A map requested at boot on a deep link, before the session check and the page chunk; taken once. */
let prefetched: { key: string; promise: Promise<FleetMapResponse> } | undefined
export function prefetchFleetMap(search: string): void {
  const r = rangeFromSearch(search)
  const promise = loadMap({ from: r.from, to: r.to })
  promise.catch(() => {}) // the page sees the error when it takes the promise
  prefetched = { key: `${r.from}|${r.to}`, promise }
}

export const registryApi = {
  agents: (r: Range, signal?: AbortSignal): Promise<RegistryAgentsResponse> =>
    request(
      'load the agent registry',
      `/api/v1/registry/fleet/agents${toQuery({ ...r })}`,
      RegistryAgentsResponseSchema,
      { signal },
    ),
  tools: (r: Range, signal?: AbortSignal): Promise<RegistryToolsResponse> =>
    request('load the tool registry', `/api/v1/registry/fleet/tools${toQuery({ ...r })}`, RegistryToolsResponseSchema, {
      signal,
    }),
  events: (r: Range, signal?: AbortSignal): Promise<RegistryEventsResponse> =>
    request(
      'load drift events',
      `/api/v1/registry/events${toQuery({ ...r, limit: '500' })}`,
      RegistryEventsResponseSchema,
      { signal },
    ),
  map: (r: Range, signal?: AbortSignal): Promise<FleetMapResponse> => {
    const early = prefetched?.key === `${r.from}|${r.to}` ? prefetched.promise : undefined
    prefetched = undefined
    return early ?? loadMap(r, signal)
  },
  edgeTraces: (
    r: Range,
    edge: { kind: 'agent_tool' | 'agent_agent'; source: string; target: string },
    signal?: AbortSignal,
  ): Promise<EdgeTracesResponse> =>
    request(
      'load the traces behind the edge',
      `/api/v1/registry/fleet/edges/traces${toQuery({ ...r, ...edge, limit: '50' })}`,
      EdgeTracesResponseSchema,
      { signal },
    ),
}
