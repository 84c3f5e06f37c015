/**
 * registerAgentCard(): an A2A agent tells Sightline's agent registry its Agent Card at start-up. The
 * card goes to the same Sightline server and project as the spans (`endpoint`, `apiKey` of
 * registerSightline). The server validates it against the A2A schema (0.3 or 1.0) and keeps every
 * distinct card as a new revision; sending the same card again changes nothing but its last-seen time.
 */
import { getConfig } from './state.js'

/**
 * Where to send the card; defaults to what registerSightline() was given.
 *
 * @example
 * ```ts
 * const options: AgentCardOptions = { endpoint: 'http://127.0.0.1:4318', apiKey: process.env.SIGHTLINE_API_KEY }
 * ```
 */
export interface AgentCardOptions {
  endpoint?: string
  apiKey?: string
  /** For tests and custom agents; `globalThis.fetch` by default. */
  fetch?: typeof fetch
}

/**
 * What the registry answered: the agent the card belongs to, its revision, and whether it was new.
 *
 * @example
 * ```ts
 * const registered: AgentCardRegistration = { agent: 'billing-agent', revision: 3, created: false, protocolVersion:
 * '1.0' }
 * ```
 */
export interface AgentCardRegistration {
  agent: string
  revision: number
  created: boolean
  protocolVersion: string
}

/** The card was refused (invalid, wrong key) or Sightline could not be reached; `message` says which. */
export class AgentCardError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message)
    this.name = 'AgentCardError'
  }
}

/**
 * Sends this agent's A2A Agent Card to the Sightline registry. Rejects with an `AgentCardError` naming
 * what is wrong when the card does not validate; an agent may log it and keep serving.
 *
 * @example
 * ```ts
 * registerSightline({ endpoint, apiKey, serviceName: 'billing-agent', serviceVersion: '2.0.1' })
 * await registerAgentCard(card).catch((err) => console.warn(`agent card not registered: ${err.message}`))
 * ```
 */
export async function registerAgentCard(card: object, options: AgentCardOptions = {}): Promise<AgentCardRegistration> {
  const config = getConfig()
  const endpoint = options.endpoint ?? config.endpoint
  const apiKey = options.apiKey ?? config.apiKey
  if (!endpoint)
    throw new AgentCardError(
      'registerAgentCard needs an endpoint: call registerSightline({ endpoint }) first or pass one',
      0,
    )
  const url = `${endpoint.replace(/\/+$/, '')}/api/v1/registry/cards`
  let res: Response
  try {
    res = await (options.fetch ?? globalThis.fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: JSON.stringify({ card, source: 'sdk' }),
    })
  } catch (err) {
    throw new AgentCardError(`could not reach ${url}: ${(err as Error).message}`, 0)
  }
  const body = (await res.json().catch(() => undefined)) as
    | { error?: { message?: string } }
    | AgentCardRegistration
    | undefined
  if (!res.ok) {
    const reason =
      body && 'error' in body && body.error?.message ? body.error.message : `${res.status} ${res.statusText}`
    throw new AgentCardError(`agent card refused: ${reason}`, res.status)
  }
  return body as AgentCardRegistration
}
