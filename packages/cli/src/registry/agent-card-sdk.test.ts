/**
 * The registry's A2A card schemas (packages/schema) against the official SDK: a card typed with
 * `@a2a-js/sdk`'s 1.0 `AgentCard`, serialised by the SDK as its servers publish it, validates; and
 * the SDK's type is assignable to the schema's, so a field the SDK requires cannot be missing here.
 */
import { AgentCard, A2A_PROTOCOL_VERSION } from '@a2a-js/sdk'
import { A2A_LEGACY_PROTOCOL_VERSION } from '@a2a-js/sdk/compat/v0_3'
import { AgentCardV1Schema, validateAgentCard, type AgentCardV1 } from '@sightline/schema'
import { describe, expect, it } from 'vitest'

const sdkCard: AgentCard = {
  name: 'researcher-agent',
  description: 'Finds sources',
  version: '3.1.2',
  supportedInterfaces: [
    {
      url: 'http://127.0.0.1:7302/a2a/jsonrpc',
      protocolBinding: 'JSONRPC',
      tenant: '',
      protocolVersion: A2A_PROTOCOL_VERSION,
    },
    {
      url: 'http://127.0.0.1:7302/a2a/jsonrpc',
      protocolBinding: 'JSONRPC',
      tenant: '',
      protocolVersion: A2A_LEGACY_PROTOCOL_VERSION,
    },
  ],
  provider: { organization: 'Sightline demo', url: 'https://github.com/sightline' },
  capabilities: {
    streaming: true,
    pushNotifications: false,
    extensions: [{ uri: 'https://example.com/ext', description: 'x', required: false, params: undefined }],
  },
  securitySchemes: {},
  securityRequirements: [],
  defaultInputModes: ['text/plain'],
  defaultOutputModes: ['text/plain'],
  skills: [
    {
      id: 'research',
      name: 'Research',
      description: 'Finds sources',
      tags: ['search'],
      examples: [],
      inputModes: [],
      outputModes: [],
      securityRequirements: [],
    },
  ],
  signatures: [],
}

describe('A2A card schemas against @a2a-js/sdk', () => {
  it('accepts a 1.0 card as the SDK serialises it, with every endpoint and its protocol version', () => {
    const json = AgentCard.toJSON(sdkCard)
    const checked = validateAgentCard(json)
    expect(checked.ok && checked.protocol).toBe('1.0')
    expect(checked.ok && checked.summary.endpoints.map((e) => e.protocolVersion)).toEqual(['1.0', '0.3'])
    // The SDK's own lenient decoder reads back what the schema accepted.
    expect(AgentCard.fromJSON(json).skills[0]?.id).toBe('research')
  })

  it('types: every field the schema requires is a field of the SDK card', () => {
    // Compile-time: a required schema field the SDK's AgentCard does not have fails typecheck here.
    type Known<T> = { [K in keyof T as string extends K ? never : K]: T[K] }
    type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T]
    const allPresent: [Exclude<RequiredKeys<Known<AgentCardV1>>, keyof AgentCard>] extends [never] ? true : false = true
    expect(allPresent).toBe(true)
    expect(AgentCardV1Schema.parse(AgentCard.toJSON(sdkCard)).name).toBe(sdkCard.name)
  })

  it('refuses what the SDK would silently default: a card without interfaces or skills', () => {
    const { supportedInterfaces: _i, ...rest } = AgentCard.toJSON(sdkCard) as Record<string, unknown>
    expect(AgentCard.fromJSON(rest).supportedInterfaces).toEqual([])
    const checked = validateAgentCard({ ...rest, protocolVersion: A2A_LEGACY_PROTOCOL_VERSION })
    expect(checked.ok).toBe(false)
  })
})
