/**
 * Sends a case's input to the agent under test and waits for its answer: A2A v0.3 (`message/send`)
 * or v1.0 (`SendMessage`) JSON-RPC through @a2a-js/sdk's transports, or plain HTTP JSON. Every
 * request carries the run's W3C `traceparent`, so the agent's spans land in the run's trace.
 */
import { A2A_VERSION_HEADER, Role, TaskState, type AgentCard } from '@a2a-js/sdk'
import { JsonRpcTransportFactory } from '@a2a-js/sdk/client'
import { textMessage, textOf } from './a2a-http.js'

export type Protocol = 'a2a-0.3' | 'a2a-1.0' | 'http'

/** The agent could not be reached or answered garbage: a harness error, never a verdict. */
export class AgentUnreachableError extends Error {
  override name = 'AgentUnreachableError'
}

export interface AgentReply {
  text: string
  ok: boolean
  /** The release the agent says it is (agent card `version`), '' when it does not say. */
  release: string
}

export interface SendOptions {
  target: string
  protocol: Protocol
  text: string
  metadata: Record<string, unknown>
  traceparent: string
  timeoutMs: number
}

async function fetchJson(url: string, init: RequestInit, what: string): Promise<unknown> {
  let res: Response
  try {
    res = await fetch(url, init)
  } catch (err) {
    throw new AgentUnreachableError(
      `${what}: ` +
        `cannot reach ${url} ` +
        `(${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message})`,
    )
  }
  if (!res.ok) throw new AgentUnreachableError(`${what}: ${url} answered HTTP ${res.status}`)
  try {
    return await res.json()
  } catch {
    throw new AgentUnreachableError(`${what}: ${url} did not answer JSON`)
  }
}

/** The agent card (either dialect's shape): its version and JSON-RPC URL for `protocol`. */
export async function readAgentCard(
  target: string,
  protocol: Exclude<Protocol, 'http'>,
  timeoutMs = 5000,
): Promise<{ version: string; rpcUrl: string; name: string }> {
  const base = target.replace(/\/+$/, '')
  const headers: Record<string, string> = protocol === 'a2a-1.0' ? { [A2A_VERSION_HEADER]: '1.0' } : {}
  const raw = (await fetchJson(
    `${base}/.well-known/agent-card.json`,
    { headers, signal: AbortSignal.timeout(timeoutMs) },
    'agent card',
  )) as Record<string, unknown>
  const interfaces = Array.isArray(raw.supportedInterfaces)
    ? (raw.supportedInterfaces as { url?: string; protocolBinding?: string; protocolVersion?: string }[])
    : []
  const wanted = protocol === 'a2a-1.0' ? (v: string) => v.startsWith('1.') : (v: string) => v.startsWith('0.')
  const match = interfaces.find((i) => i.protocolBinding === 'JSONRPC' && wanted(i.protocolVersion ?? '1.0'))
  const rpcUrl = match?.url || (protocol === 'a2a-0.3' && typeof raw.url === 'string' ? raw.url : '')
  if (!rpcUrl) throw new AgentUnreachableError(`agent card at ${base} declares no JSON-RPC interface for ${protocol}`)
  return {
    version: typeof raw.version === 'string' ? raw.version : '',
    rpcUrl,
    name: typeof raw.name === 'string' ? raw.name : '',
  }
}

function minimalCard(name: string, rpcUrl: string, protocolVersion: string): AgentCard {
  return {
    name,
    description: '',
    version: '',
    provider: undefined,
    signatures: [],
    securitySchemes: {},
    securityRequirements: [],
    supportedInterfaces: [{ url: rpcUrl, protocolBinding: 'JSONRPC', tenant: '', protocolVersion }],
    capabilities: { streaming: false, pushNotifications: false, extensions: [] },
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [],
  }
}

export async function sendToAgent(options: SendOptions): Promise<AgentReply> {
  return options.protocol === 'http'
    ? sendHttp(options)
    : sendA2a(options as SendOptions & { protocol: Exclude<Protocol, 'http'> })
}

async function sendA2a(options: SendOptions & { protocol: Exclude<Protocol, 'http'> }): Promise<AgentReply> {
  const card = await readAgentCard(options.target, options.protocol)
  const tracedFetch: typeof fetch = (input, init) => {
    const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined))
    headers.set('traceparent', options.traceparent)
    if (options.protocol === 'a2a-1.0') headers.set(A2A_VERSION_HEADER, '1.0')
    return fetch(input, { ...init, headers, signal: AbortSignal.timeout(options.timeoutMs) })
  }
  const version = options.protocol === 'a2a-1.0' ? '1.0' : '0.3'
  const transport = await new JsonRpcTransportFactory({
    fetchImpl: tracedFetch,
    legacyCompat: { enabled: true },
  }).create(card.rpcUrl, minimalCard(card.name, card.rpcUrl, version))
  let result
  try {
    result = await transport.sendMessage({
      tenant: '',
      message: textMessage(options.text, Role.ROLE_USER, {}, options.metadata),
      configuration: undefined,
      metadata: undefined,
    })
  } catch (err) {
    // Transport and JSON-RPC errors (method not found, bad params, unsupported version) mean the
    // harness and the agent do not understand each other; a failed task is an answer, not an error.
    throw new AgentUnreachableError(`A2A ${version} request to ${card.rpcUrl} failed: ${(err as Error).message}`)
  }
  if ('status' in result) {
    return {
      ok: result.status?.state === TaskState.TASK_STATE_COMPLETED,
      text: textOf(result.status?.message),
      release: card.version,
    }
  }
  return { ok: true, text: textOf(result), release: card.version }
}

/** Plain HTTP: POST `{ input, ...metadata }`; the answer is `output` (or `text`/`answer`) of the JSON reply. */
async function sendHttp(options: SendOptions): Promise<AgentReply> {
  let res: Response
  try {
    res = await fetch(options.target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: options.traceparent },
      body: JSON.stringify({ ...options.metadata, input: options.text }),
      signal: AbortSignal.timeout(options.timeoutMs),
    })
  } catch (err) {
    throw new AgentUnreachableError(`cannot reach ${options.target} (${(err as Error).message})`)
  }
  const body = await res.text()
  let json: Record<string, unknown> = {}
  try {
    json = JSON.parse(body) as Record<string, unknown>
  } catch {
    json = { output: body }
  }
  const text = [json.output, json.text, json.answer].find((v): v is string => typeof v === 'string') ?? body
  return {
    ok: res.ok && json.status !== 'error',
    text,
    release: res.headers.get('x-agent-release') ?? (typeof json.release === 'string' ? json.release : ''),
  }
}
