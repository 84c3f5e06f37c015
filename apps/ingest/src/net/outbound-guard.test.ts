import type { LookupAddress } from 'node:dns'
import { describe, expect, it } from 'vitest'
import { parseAllowlist } from './address-policy.js'
import { OutboundGuard, OutboundTargetError, type HostResolver, type ResolvedAddress } from './outbound-guard.js'

const v4 = (address: string): ResolvedAddress => ({ address, family: 4 })
const v6 = (address: string): ResolvedAddress => ({ address, family: 6 })
/** A resolver with fixed answers; unknown names fail like getaddrinfo does. */
const fakeDns =
  (answers: Record<string, ResolvedAddress[]>): HostResolver =>
  async (hostname) => {
    const found = answers[hostname]
    if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })
    return found
  }
const allowlist = (text: string) => parseAllowlist(text).allowlist
const guard = new OutboundGuard(undefined, fakeDns({ 'hooks.example.com': [v4('93.184.215.14')] }))

/** Rejects with an OutboundTargetError of `kind` whose message contains `words`. */
async function expectRefusal(
  promise: Promise<unknown>,
  kind: OutboundTargetError['kind'],
  words: string,
): Promise<void> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(OutboundTargetError)
  expect((err as OutboundTargetError).kind).toBe(kind)
  expect((err as Error).message).toContain(words)
}

describe('OutboundGuard.checkUrl', () => {
  it.each([
    ['http://127.0.0.1:8080/hook', '127.0.0.1 is a loopback address'],
    ['http://2130706433/', '127.0.0.1 is a loopback'],
    ['http://0x7f.1/', '127.0.0.1 is a loopback'],
    ['http://0x7f000001/', '127.0.0.1 is a loopback'],
    ['http://017700000001/', '127.0.0.1 is a loopback'],
    ['http://0177.0.0.1/', '127.0.0.1 is a loopback'],
    ['http://127.1/', '127.0.0.1 is a loopback'],
    ['http://0/', '0.0.0.0 is an unspecified'],
    ['http://0.0.0.0:4318/', '0.0.0.0 is an unspecified'],
    ['http://[::]/', ':: is an unspecified'],
    ['http://[::1]:9/', '::1 is a loopback'],
    ['http://[0:0:0:0:0:0:0:1]/', '::1 is a loopback'],
    ['http://[::ffff:127.0.0.1]/', 'maps to 127.0.0.1, a loopback'],
    ['http://[::ffff:7f00:1]/', 'maps to 127.0.0.1, a loopback'],
    ['http://[::127.0.0.1]/', 'IPv4-compatible'],
    ['http://[64:ff9b::7f00:1]/', 'maps to 127.0.0.1'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://0xa9fea9fe/', '169.254.169.254 is a link-local'],
    ['http://10.0.0.1/', 'private'],
    ['http://172.16.5.4/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://[fd00::1]/', 'unique local'],
    ['http://100.64.1.1/', 'carrier-grade NAT'],
    ['http://224.0.0.251/', 'multicast'],
    ['http://255.255.255.255/', 'broadcast'],
    ['http://240.0.0.1/', 'reserved'],
    ['http://localhost:4318/', 'localhost name'],
    ['http://LOCALHOST./', 'localhost name'],
    ['http://api.localhost/', 'localhost name'],
    ['http://localhost.localdomain/', 'localhost name'],
    ['http://ip6-localhost/', 'localhost name'],
  ])('refuses %s', (url, words) => {
    expect(() => guard.checkUrl(url)).toThrow(words)
    expect(() => guard.checkUrl(url)).toThrow('SIGHTLINE_ALERT_ALLOWED_TARGETS')
  })

  it.each([
    ['ftp://example.com/x', 'http or https, not ftp'],
    ['file:///etc/passwd', 'http or https, not file'],
    ['gopher://example.com/', 'http or https, not gopher'],
    ['javascript:alert(1)', 'http or https, not javascript'],
    ['data:text/plain,hi', 'http or https, not data'],
    ['not a url', 'not a valid URL'],
    ['http://', 'not a valid URL'],
  ])('refuses the scheme or syntax of %s', (url, words) => {
    expect(() => guard.checkUrl(url)).toThrow(words)
  })

  it.each([
    'http://user@hooks.example.com/',
    'http://user:pw@hooks.example.com/',
    'http://hooks.example.com@127.0.0.1/',
    'http://8.8.8.8:80@127.0.0.1/',
    'http://:pw@8.8.8.8/',
  ])('refuses userinfo in %s', (url) => {
    expect(() => guard.checkUrl(url)).toThrow('must not embed credentials')
  })

  it('returns the parsed URL, which is what gets stored and sent', () => {
    expect(guard.checkUrl('HTTPS://Hooks.Example.com/services/T0/B0/X?a=1').href).toBe(
      'https://hooks.example.com/services/T0/B0/X?a=1',
    )
    expect(guard.checkUrl('http://8.8.8.8').href).toBe('http://8.8.8.8/')
    expect(guard.checkUrl('http://[2606:4700:4700::1111]:8443/h').host).toBe('[2606:4700:4700::1111]:8443')
    // The backslash is a path separator for http(s): the host is hooks.example.com, not 127.0.0.1.
    expect(guard.checkUrl('http://hooks.example.com\\@127.0.0.1/').hostname).toBe('hooks.example.com')
  })

  it('lets allowlisted hosts and blocks through', () => {
    const permissive = new OutboundGuard(allowlist('localhost,127.0.0.1/32,fd00::/8'))
    expect(permissive.checkUrl('http://localhost:9/').hostname).toBe('localhost')
    expect(permissive.checkUrl('http://127.0.0.1:9/').hostname).toBe('127.0.0.1')
    expect(permissive.checkUrl('http://0x7f.1/').hostname).toBe('127.0.0.1')
    expect(permissive.checkUrl('http://[::ffff:127.0.0.1]/').hostname).toBe('[::ffff:7f00:1]')
    expect(permissive.checkUrl('http://[fd00::5]/').hostname).toBe('[fd00::5]')
    expect(() => permissive.checkUrl('http://127.0.0.2/')).toThrow('loopback')
    expect(() => permissive.checkUrl('http://api.localhost/')).toThrow('localhost name')
    expect(() => permissive.checkUrl('http://user@localhost/')).toThrow('credentials')
  })
})

describe('OutboundGuard.checkTarget (save time, with DNS)', () => {
  const dns = fakeDns({
    'hooks.example.com': [v4('93.184.215.14'), v6('2606:2800:21f:cb07:6820:80da:af6b:8b2c')],
    'internal.example.com': [v4('10.0.0.5')],
    'metadata.example.com': [v4('169.254.169.254')],
    'mixed.example.com': [v4('93.184.215.14'), v4('127.0.0.1')],
    'mapped.example.com': [v6('::ffff:127.0.0.1')],
    'compat.example.com': [v6('::127.0.0.1')],
    'empty.example.com': [],
    'relay.internal': [v4('10.20.0.7')],
  })
  const checked = new OutboundGuard(undefined, dns)

  it('accepts a host whose every address is public', async () => {
    expect((await checked.checkTarget('https://hooks.example.com/x')).href).toBe('https://hooks.example.com/x')
  })

  it.each([
    ['http://internal.example.com/', 'internal.example.com resolves to 10.0.0.5, a private address'],
    ['http://metadata.example.com/', 'resolves to 169.254.169.254, a link-local address'],
    ['http://mixed.example.com/', 'resolves to 127.0.0.1, a loopback address'],
    ['http://mapped.example.com/', 'maps to 127.0.0.1'],
    ['http://compat.example.com/', 'IPv4-compatible'],
  ])('refuses %s when any address is forbidden', async (url, words) => {
    await expectRefusal(checked.checkTarget(url), 'refused', words)
  })

  it('refuses names that do not resolve, and says so', async () => {
    await expectRefusal(
      checked.checkTarget('http://nowhere.example.com/'),
      'unresolved',
      'nowhere.example.com does not resolve (ENOTFOUND)',
    )
    await expectRefusal(
      checked.checkTarget('http://empty.example.com/'),
      'unresolved',
      'does not resolve to any address',
    )
  })

  it('reports a failing or slow resolver as unavailable, not as the user’s fault', async () => {
    const failing = new OutboundGuard(undefined, async () =>
      Promise.reject(Object.assign(new Error('queryA ESERVFAIL'), { code: 'EAI_AGAIN' })),
    )
    await expectRefusal(failing.checkTarget('http://hooks.example.com/'), 'dns_unavailable', 'EAI_AGAIN')
    const hanging = new OutboundGuard(undefined, () => new Promise(() => {}), 50)
    await expectRefusal(hanging.checkTarget('http://hooks.example.com/'), 'dns_unavailable', 'within 50 ms')
  })

  it('trusts allowlisted names whatever they resolve to, and allowlisted blocks for other names', async () => {
    const operator = new OutboundGuard(allowlist('relay.internal,10.0.0.0/24'), dns)
    expect((await operator.checkTarget('http://relay.internal/hook')).hostname).toBe('relay.internal')
    expect((await operator.checkTarget('http://internal.example.com/')).hostname).toBe('internal.example.com')
    await expectRefusal(operator.checkTarget('http://metadata.example.com/'), 'refused', 'link-local')
  })

  it('does not consult DNS for IP literals', async () => {
    let calls = 0
    const counting = new OutboundGuard(undefined, async () => (calls++, [v4('8.8.8.8')]))
    await counting.checkTarget('http://8.8.8.8/')
    await expectRefusal(counting.checkTarget('http://10.0.0.1/'), 'refused', 'private')
    expect(calls).toBe(0)
  })
})

describe('OutboundGuard.lookup (send time)', () => {
  const dns = fakeDns({
    'dual.example.com': [v6('2606:4700:4700::1111'), v4('1.1.1.1')],
    'evil.example.com': [v4('1.1.1.1'), v4('127.0.0.1')],
  })
  const pinned = new OutboundGuard(undefined, dns)
  const lookup = (hostname: string, options: Parameters<OutboundGuard['lookup']>[1]) =>
    new Promise<{ err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family: number | undefined }>(
      (resolve) => pinned.lookup(hostname, options, (err, address, family) => resolve({ err, address, family })),
    )

  it('answers the checked addresses, all of them or the first of a family', async () => {
    expect(await lookup('dual.example.com', { all: true })).toMatchObject({
      err: null,
      address: [
        { address: '2606:4700:4700::1111', family: 6 },
        { address: '1.1.1.1', family: 4 },
      ],
    })
    expect(await lookup('dual.example.com', {})).toMatchObject({
      err: null,
      address: '2606:4700:4700::1111',
      family: 6,
    })
    expect(await lookup('dual.example.com', { family: 4 })).toMatchObject({ err: null, address: '1.1.1.1', family: 4 })
  })

  it('fails the connection when any answer is forbidden', async () => {
    const { err } = await lookup('evil.example.com', { all: true })
    expect(err).toBeInstanceOf(OutboundTargetError)
    expect(err?.message).toContain('evil.example.com resolves to 127.0.0.1, a loopback address')
  })
})
