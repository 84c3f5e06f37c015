/**
 * Response schemas the contract (`@sightline/schema` api.ts) does not export yet: facets, one span
 * and the console session. Built from the contract's own pieces; delete each once api.ts has it.
 */
import { SpanSchema } from '@sightline/schema'
import { z } from 'zod'

export const FacetsResponseSchema = z.object({
  services: z.array(z.string()),
  releases: z.array(z.string()),
  environments: z.array(z.string()),
  agents: z.array(z.string()),
  models: z.array(z.string()),
  tools: z.array(z.string()),
})
export type Facets = z.infer<typeof FacetsResponseSchema>

export const GetSpanResponseSchema = z.object({ span: SpanSchema })

export const SessionResponseSchema = z.object({ projectId: z.string() })
