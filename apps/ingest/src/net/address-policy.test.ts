import { describe, expect, it } from 'vitest'
import { parseEnv } from '../env.js'
import { forbiddenReason, parseAllowlist } from './address-policy.js'

/** [address, the words the refusal must contain]; every class of the brief, with its edges. */
const FORBIDDEN: Array<[string, string]> = [
  ['127.0.0.1', 'loopback'],
  ['127.0.0.0', 'loopback'],
  ['127.255.255.255', 'loopback'],
  ['127.1.2.3', 'loopback'],
  ['::1', 'loopback'],
  ['0.0.0.0', 'unspecified'],
  ['0.1.2.3', 'unspecified'],
  ['::', 'unspecified'],
  ['169.254.169.254', 'link-local'],
  ['169.254.0.0', 'link-local'],
  ['169.254.255.255', 'link-local'],
  ['fe80::1', 'link-local'],
  ['febf:ffff::1', 'link-local'],
  ['10.0.0.0', 'private'],
  ['10.255.255.255', 'private'],
  ['172.16.0.0', 'private'],
  ['172.31.255.255', 'private'],
  ['192.168.0.1', 'private'],
  ['192.168.255.255', 'private'],
  ['fc00::1', 'unique local'],
  ['fd12:3456:789a::1', 'unique local'],
  ['fec0::1', 'site-local'],
  ['100.64.0.0', 'carrier-grade NAT'],
  ['100.127.255.255', 'carrier-grade NAT'],
  ['224.0.0.1', 'multicast'],
  ['239.255.255.250', 'multicast'],
  ['ff02::1', 'multicast'],
  ['ff0e::1', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  ['240.0.0.1', 'future use'],
  ['192.0.0.8', 'reserved'],
  ['192.0.2.10', 'documentation'],
  ['198.51.100.7', 'documentation'],
  ['203.0.113.200', 'documentation'],
  ['198.18.0.1', 'benchmarking'],
  ['198.19.255.255', 'benchmarking'],
  ['192.88.99.1', '6to4 relay'],
  ['2001:db8::1', 'documentation'],
  ['3fff::1', 'documentation'],
  ['2001::1', 'Teredo'],
  ['2002:7f00:1::', '6to4'],
  ['100::1', 'discard'],
  ['5f00::1', 'SRv6'],
  ['64:ff9b:1::1', 'local-use NAT64'],
  ['4000::1', 'outside IPv6 global unicast'],
  ['::ffff:127.0.0.1', 'maps to 127.0.0.1, a loopback'],
  ['::ffff:7f00:1', 'maps to 127.0.0.1, a loopback'],
  ['::ffff:169.254.169.254', 'maps to 169.254.169.254, a link-local'],
  ['::ffff:10.0.0.1', 'maps to 10.0.0.1, a private'],
  ['::ffff:0.0.0.0', 'maps to 0.0.0.0, an unspecified'],
  ['0:0:0:0:0:ffff:7f00:1', 'maps to 127.0.0.1'],
  ['::127.0.0.1', 'IPv4-compatible'],
  ['::7f00:1', 'IPv4-compatible'],
  ['::8.8.8.8', 'IPv4-compatible'],
  ['64:ff9b::127.0.0.1', 'maps to 127.0.0.1, a loopback'],
  ['64:ff9b::a9fe:a9fe', 'maps to 169.254.169.254, a link-local'],
]

const ALLOWED = [
  '8.8.8.8',
  '1.1.1.1',
  '93.184.215.14',
  '9.255.255.255',
  '11.0.0.0',
  '100.63.255.255',
  '100.128.0.0',
  '126.255.255.255',
  '128.0.0.0',
  '169.253.255.255',
  '169.255.0.0',
  '172.15.255.255',
  '172.32.0.0',
  '192.0.1.1',
  '192.167.255.255',
  '192.169.0.0',
  '198.17.255.255',
  '198.20.0.0',
  '223.255.255.255',
  '2606:4700:4700::1111',
  '2a00:1450:4007:80e::200e',
  '::ffff:8.8.8.8',
  '64:ff9b::808:808',
]

describe('forbiddenReason', () => {
  it.each(FORBIDDEN)('refuses %s (%s)', (ip, words) => {
    expect(forbiddenReason(ip)).toContain(words)
  })

  it.each(ALLOWED)('allows the public address %s', (ip) => {
    expect(forbiddenReason(ip)).toBeNull()
  })

  it('refuses what is not an IP literal rather than guessing', () => {
    expect(forbiddenReason('example.com')).toBe('not an IP address')
    expect(forbiddenReason('0x7f.1')).toBe('not an IP address')
  })
})

describe('allowlist', () => {
  const allow = (text: string) => {
    const { allowlist, problems } = parseAllowlist(text)
    expect(problems).toEqual([])
    return allowlist
  }

  it('allows addresses inside a listed CIDR block, and only those', () => {
    const list = allow('10.1.0.0/16, 127.0.0.1/32')
    expect(forbiddenReason('10.1.2.3', list)).toBeNull()
    expect(forbiddenReason('10.1.255.255', list)).toBeNull()
    expect(forbiddenReason('10.2.0.1', list)).toContain('private')
    expect(forbiddenReason('127.0.0.1', list)).toBeNull()
    expect(forbiddenReason('127.0.0.2', list)).toContain('loopback')
    expect(forbiddenReason('169.254.169.254', list)).toContain('link-local')
  })

  it('applies an IPv4 block to the IPv6 forms that reach it', () => {
    const list = allow('127.0.0.1/32')
    expect(forbiddenReason('::ffff:127.0.0.1', list)).toBeNull()
    expect(forbiddenReason('64:ff9b::7f00:1', list)).toBeNull()
    expect(forbiddenReason('::1', list)).toContain('loopback')
  })

  it('takes IPv6 blocks and bare addresses (as /32 and /128)', () => {
    const list = allow('fd00::/8,[::1],192.168.1.10')
    expect(forbiddenReason('fd00::1', list)).toBeNull()
    expect(forbiddenReason('fc00::1', list)).toContain('unique local')
    expect(forbiddenReason('::1', list)).toBeNull()
    expect(forbiddenReason('192.168.1.10', list)).toBeNull()
    expect(forbiddenReason('192.168.1.11', list)).toContain('private')
  })

  it('keeps host names apart, lower-cased and without trailing dots', () => {
    const list = allow(' Relay.Internal. , hooks.corp.example ,,')
    expect([...list.hosts]).toEqual(['relay.internal', 'hooks.corp.example'])
    expect(list.cidrs).toEqual([])
  })

  it('is empty when unset', () => {
    expect(allow('')).toEqual({ hosts: new Set(), cidrs: [] })
  })

  it.each([
    ['10.0.0.0/33', 'not a CIDR block'],
    ['10.0.0.0/', 'not a CIDR block'],
    ['0x7f.1/8', 'neither a host name'],
    ['fd00::/129', 'not a CIDR block'],
    ['http://relay.internal', 'neither a host name'],
    ['relay internal', 'neither a host name'],
    ['0x7f.1', 'neither a host name'],
    ['2130706433', 'neither a host name'],
    ['127.1', 'neither a host name'],
    ['-bad.example', 'neither a host name'],
  ])('rejects %s with a reason', (entry, words) => {
    const { problems } = parseAllowlist(`relay.internal,${entry}`)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toContain(words)
  })

  it('is parsed once with the env, and a bad entry stops the server before it serves', () => {
    const env = parseEnv({ SIGHTLINE_ALERT_ALLOWED_TARGETS: 'relay.internal,10.0.0.0/8' })
    expect([...env.SIGHTLINE_ALERT_ALLOWED_TARGETS.hosts]).toEqual(['relay.internal'])
    expect(forbiddenReason('10.9.9.9', env.SIGHTLINE_ALERT_ALLOWED_TARGETS)).toBeNull()
    expect(parseEnv({}).SIGHTLINE_ALERT_ALLOWED_TARGETS).toEqual({ hosts: new Set(), cidrs: [] })
    expect(() => parseEnv({ SIGHTLINE_ALERT_ALLOWED_TARGETS: 'relay.internal,10.0.0.0/40' })).toThrow(
      'SIGHTLINE_ALERT_ALLOWED_TARGETS: "10.0.0.0/40" is not a CIDR block',
    )
  })
})
