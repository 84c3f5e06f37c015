import { z } from 'zod'

/**
 * A2A Agent Cards, as the agent registry accepts them: protocol 0.3 (one `url` and a card-level
 * `protocolVersion`) and 1.0 (`supportedInterfaces`, each with its protocol version). The required
 * fields follow the A2A specification of each version (0.3: `specification/json/a2a.json`; 1.0: the
 * fields `a2a.proto` marks REQUIRED). `@a2a-js/sdk` ships the 1.0 type (`AgentCard`) and a lenient
 * decoder (`AgentCard.fromJSON`, which fills defaults and never refuses), but no validator: these
 * schemas are checked against the SDK's type and the cards its servers publish
 * (packages/cli/src/registry/agent-card-sdk.test.ts). Unknown fields are kept (cards carry extensions).
 */

const modes = z.array(z.string())
const extension = z
  .object({
    uri: z.string().min(1),
    description: z.string().optional(),
    required: z.boolean().optional(),
    params: z.record(z.string(), z.unknown()).optional(),
  })
  .loose()
const provider = z.object({ organization: z.string(), url: z.string() }).loose()
const signature = z
  .object({ protected: z.string(), signature: z.string(), header: z.record(z.string(), z.unknown()).optional() })
  .loose()
const skillBase = {
  id: z.string().min(1),
  name: z.string().min(1),
  description: z.string(),
  tags: z.array(z.string()),
  examples: z.array(z.string()).optional(),
  inputModes: modes.optional(),
  outputModes: modes.optional(),
}

export const AgentCardV03Schema = z
  .object({
    protocolVersion: z.string().regex(/^0\.3(\.\d+)?$/, 'expected "0.3" or "0.3.x"'),
    name: z.string().min(1),
    description: z.string(),
    url: z.url(),
    preferredTransport: z.string().optional(),
    additionalInterfaces: z
      .array(z.object({ url: z.string().min(1), transport: z.string().min(1) }).loose())
      .optional(),
    iconUrl: z.string().optional(),
    provider: provider.optional(),
    version: z.string().min(1),
    documentationUrl: z.string().optional(),
    capabilities: z
      .object({
        streaming: z.boolean().optional(),
        pushNotifications: z.boolean().optional(),
        stateTransitionHistory: z.boolean().optional(),
        extensions: z.array(extension).optional(),
      })
      .loose(),
    securitySchemes: z.record(z.string(), z.unknown()).optional(),
    security: z.array(z.record(z.string(), z.array(z.string()))).optional(),
    defaultInputModes: modes,
    defaultOutputModes: modes,
    skills: z.array(
      z.object({ ...skillBase, security: z.array(z.record(z.string(), z.array(z.string()))).optional() }).loose(),
    ),
    supportsAuthenticatedExtendedCard: z.boolean().optional(),
    signatures: z.array(signature).optional(),
  })
  .loose()
export type AgentCardV03 = z.infer<typeof AgentCardV03Schema>

export const AgentInterfaceV1Schema = z
  .object({
    url: z.string().min(1),
    protocolBinding: z.string().min(1),
    protocolVersion: z.string().min(1),
    tenant: z.string().optional(),
  })
  .loose()

export const AgentCardV1Schema = z
  .object({
    name: z.string().min(1),
    description: z.string(),
    supportedInterfaces: z.array(AgentInterfaceV1Schema).min(1),
    provider: provider.optional(),
    version: z.string().min(1),
    documentationUrl: z.string().optional(),
    capabilities: z
      .object({
        streaming: z.boolean().optional(),
        pushNotifications: z.boolean().optional(),
        extensions: z.array(extension).optional(),
        extendedAgentCard: z.boolean().optional(),
      })
      .loose(),
    securitySchemes: z.record(z.string(), z.unknown()).optional(),
    securityRequirements: z.array(z.unknown()).optional(),
    defaultInputModes: modes,
    defaultOutputModes: modes,
    skills: z.array(z.object({ ...skillBase, securityRequirements: z.array(z.unknown()).optional() }).loose()),
    signatures: z.array(signature).optional(),
    iconUrl: z.string().optional(),
  })
  .loose()
export type AgentCardV1 = z.infer<typeof AgentCardV1Schema>

export const A2aProtocolSchema = z.enum(['0.3', '1.0'])
export type A2aProtocol = z.infer<typeof A2aProtocolSchema>

/** What the registry shows of a card, whatever its protocol version. */
export const AgentCardSummarySchema = z.object({
  name: z.string(),
  description: z.string(),
  version: z.string(),
  protocol: A2aProtocolSchema,
  /** Every endpoint with its binding and protocol version, preferred first. */
  endpoints: z.array(z.object({ url: z.string(), binding: z.string(), protocolVersion: z.string() })),
  provider: z.object({ organization: z.string(), url: z.string() }).nullable(),
  documentationUrl: z.string().nullable(),
  capabilities: z.object({ streaming: z.boolean(), pushNotifications: z.boolean(), extensions: z.array(z.string()) }),
  defaultInputModes: z.array(z.string()),
  defaultOutputModes: z.array(z.string()),
  skills: z.array(z.object({ id: z.string(), name: z.string(), description: z.string(), tags: z.array(z.string()) })),
})
export type AgentCardSummary = z.infer<typeof AgentCardSummarySchema>

export type CardValidation =
  | { ok: true; protocol: A2aProtocol; summary: AgentCardSummary }
  | { ok: false; message: string }

const path = (p: readonly PropertyKey[]) =>
  p.length === 0
    ? '(card)'
    : p
        .map((k) => (typeof k === 'number' ? `[${k}]` : `.${String(k)}`))
        .join('')
        .replace(/^\./, '')

/**
 * Checks a parsed card against the schema of its protocol version: a card with `supportedInterfaces`
 * is 1.0, any other is read as 0.3. The message names every field that does not fit (at most 5).
 */
export function validateAgentCard(card: unknown): CardValidation {
  if (typeof card !== 'object' || card === null || Array.isArray(card))
    return { ok: false, message: 'an Agent Card is a JSON object' }
  const isV1 = 'supportedInterfaces' in card
  const result = isV1 ? AgentCardV1Schema.safeParse(card) : AgentCardV03Schema.safeParse(card)
  if (!result.success) {
    const issues = result.error.issues.slice(0, 5).map((i) => `${path(i.path)}: ${i.message}`)
    const more = result.error.issues.length > 5 ? ` (and ${result.error.issues.length - 5} more)` : ''
    return { ok: false, message: `not a valid A2A ${isV1 ? '1.0' : '0.3'} Agent Card: ${issues.join('; ')}${more}` }
  }
  return isV1
    ? { ok: true, protocol: '1.0', summary: summaryV1(result.data as AgentCardV1) }
    : { ok: true, protocol: '0.3', summary: summaryV03(result.data as AgentCardV03) }
}

function common(card: AgentCardV1 | AgentCardV03) {
  return {
    name: card.name,
    description: card.description,
    version: card.version,
    provider: card.provider ? { organization: card.provider.organization, url: card.provider.url } : null,
    documentationUrl: card.documentationUrl ?? null,
    capabilities: {
      streaming: card.capabilities.streaming ?? false,
      pushNotifications: card.capabilities.pushNotifications ?? false,
      extensions: (card.capabilities.extensions ?? []).map((e) => e.uri),
    },
    defaultInputModes: card.defaultInputModes,
    defaultOutputModes: card.defaultOutputModes,
    skills: card.skills.map((s) => ({ id: s.id, name: s.name, description: s.description, tags: s.tags })),
  }
}

function summaryV1(card: AgentCardV1): AgentCardSummary {
  return {
    ...common(card),
    protocol: '1.0',
    endpoints: card.supportedInterfaces.map((i) => ({
      url: i.url,
      binding: i.protocolBinding,
      protocolVersion: i.protocolVersion,
    })),
  }
}

function summaryV03(card: AgentCardV03): AgentCardSummary {
  const main = { url: card.url, binding: card.preferredTransport ?? 'JSONRPC', protocolVersion: card.protocolVersion }
  const others = (card.additionalInterfaces ?? [])
    .filter((i) => i.url !== main.url || i.transport !== main.binding)
    .map((i) => ({ url: i.url, binding: i.transport, protocolVersion: card.protocolVersion }))
  return { ...common(card), protocol: '0.3', endpoints: [main, ...others] }
}
