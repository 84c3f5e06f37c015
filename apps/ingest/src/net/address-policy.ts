import net from 'node:net'
import ipaddr from 'ipaddr.js'

/**
 * Which IP addresses the server may open an outbound connection to (alert webhooks today).
 * Only globally reachable unicast is allowed by default: everything in the IANA special-purpose
 * registries that is loopback, private, link-local, shared (CGNAT), unspecified, multicast,
 * broadcast or otherwise not routable on the internet is refused, with the class named so the
 * refusal can say why. IPv6 forms that carry an IPv4 address (IPv4-mapped, NAT64) are judged by
 * the IPv4 address they reach, since that is where the socket ends up.
 *
 * Parsing is ipaddr.js on strings `net.isIP` accepts, i.e. exactly the strings for which
 * `net.connect` skips DNS and dials the address itself.
 */
type Address = ipaddr.IPv4 | ipaddr.IPv6
type Cidr = [Address, number]

const cidr = (text: string): Cidr => ipaddr.parseCIDR(text)

/** First match wins, so narrower blocks come before the blocks that contain them. */
const IPV4_FORBIDDEN: ReadonlyArray<[Cidr, string]> = [
  [cidr('0.0.0.0/8'), 'an unspecified ("this network") address'],
  [cidr('10.0.0.0/8'), 'a private address'],
  [cidr('100.64.0.0/10'), 'a carrier-grade NAT (shared) address'],
  [cidr('127.0.0.0/8'), 'a loopback address'],
  [cidr('169.254.0.0/16'), 'a link-local address'],
  [cidr('172.16.0.0/12'), 'a private address'],
  [cidr('192.0.0.0/24'), 'a reserved address (IETF protocol assignments)'],
  [cidr('192.0.2.0/24'), 'a reserved address (documentation)'],
  [cidr('192.88.99.0/24'), 'a reserved address (6to4 relay anycast)'],
  [cidr('192.168.0.0/16'), 'a private address'],
  [cidr('198.18.0.0/15'), 'a reserved address (benchmarking)'],
  [cidr('198.51.100.0/24'), 'a reserved address (documentation)'],
  [cidr('203.0.113.0/24'), 'a reserved address (documentation)'],
  [cidr('224.0.0.0/4'), 'a multicast address'],
  [cidr('255.255.255.255/32'), 'the broadcast address'],
  [cidr('240.0.0.0/4'), 'a reserved address (future use)'],
]

const IPV6_FORBIDDEN: ReadonlyArray<[Cidr, string]> = [
  [cidr('::/128'), 'an unspecified address'],
  [cidr('::1/128'), 'a loopback address'],
  // `::a.b.c.d` (RFC 4291 "IPv4-compatible"): deprecated, and some stacks still route it to a.b.c.d.
  [cidr('::/96'), 'a reserved address (IPv4-compatible IPv6, deprecated)'],
  [cidr('64:ff9b:1::/48'), 'a private address (local-use NAT64)'],
  [cidr('100::/64'), 'a reserved address (discard-only)'],
  [cidr('2001:db8::/32'), 'a reserved address (documentation)'],
  [cidr('2001::/23'), 'a reserved address (IETF protocol assignments, Teredo)'],
  [cidr('2002::/16'), 'a reserved address (6to4, deprecated)'],
  [cidr('3fff::/20'), 'a reserved address (documentation)'],
  [cidr('5f00::/16'), 'a reserved address (SRv6)'],
  [cidr('fc00::/7'), 'a private address (unique local)'],
  [cidr('fe80::/10'), 'a link-local address'],
  [cidr('fec0::/10'), 'a private address (site-local, deprecated)'],
  [cidr('ff00::/8'), 'a multicast address'],
]
const IPV6_GLOBAL_UNICAST = cidr('2000::/3')
const NAT64_WELL_KNOWN = cidr('64:ff9b::/96')

/** Operator exceptions (`SIGHTLINE_ALERT_ALLOWED_TARGETS`): host names and CIDR blocks. */
export interface OutboundAllowlist {
  readonly hosts: ReadonlySet<string>
  readonly cidrs: readonly Cidr[]
}

export const EMPTY_ALLOWLIST: OutboundAllowlist = { hosts: new Set(), cidrs: [] }

/** Lower case without trailing dots: `LocalHost.` and `localhost` are the same name to a resolver. */
export const canonicalHost = (host: string): string => host.toLowerCase().replace(/\.+$/, '')

/** Strips the brackets `URL.hostname` keeps around IPv6 literals. */
export const unbracket = (host: string): string =>
  host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host

/**
 * Why the server must not connect to `ip`, or null when it may. `ip` must be an IP literal
 * (`net.isIP`); the allowlist's CIDR blocks win over every class.
 */
export function forbiddenReason(ip: string, allowlist: OutboundAllowlist = EMPTY_ALLOWLIST): string | null {
  if (net.isIP(ip) === 0) return 'not an IP address'
  const address = parseIP(ip)
  const embedded = embeddedIPv4(address)
  if (isAllowed(address, allowlist) || (embedded && isAllowed(embedded, allowlist))) return null
  if (embedded) {
    const reason = matchFirst(embedded, IPV4_FORBIDDEN)
    return reason ? `maps to ${embedded.toString()}, ${reason}` : null
  }
  if (address.kind() === 'ipv4') return matchFirst(address, IPV4_FORBIDDEN)
  const reason = matchFirst(address, IPV6_FORBIDDEN)
  if (reason) return reason
  return address.match(IPV6_GLOBAL_UNICAST) ? null : 'a reserved address (outside IPv6 global unicast)'
}

/**
 * ipaddr.js reads `::a.b.c.d` (IPv4-compatible, `::7f00:1`) as `::ffff:a.b.c.d` (IPv4-mapped), and
 * glibc's resolver prints compatible addresses in that dotted form; the WHATWG URL parser writes
 * IPv6 the way the kernel will read it, so it canonicalises first.
 */
function parseIP(ip: string): Address {
  return net.isIPv6(ip) ? ipaddr.parse(new URL(`http://[${ip}]/`).hostname.slice(1, -1)) : ipaddr.parse(ip)
}

/** The IPv4 address an IPv4-mapped (`::ffff:a.b.c.d`) or NAT64 (`64:ff9b::a.b.c.d`) address reaches. */
function embeddedIPv4(address: Address): ipaddr.IPv4 | null {
  if (address.kind() !== 'ipv6') return null
  const v6 = address as ipaddr.IPv6
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address()
  if (v6.match(NAT64_WELL_KNOWN)) return new ipaddr.IPv4(v6.toByteArray().slice(12))
  return null
}

function matchFirst(address: Address, table: ReadonlyArray<[Cidr, string]>): string | null {
  for (const [block, reason] of table) if (sameKind(address, block) && address.match(block)) return reason
  return null
}

const sameKind = (address: Address, block: Cidr) => address.kind() === block[0].kind()
const isAllowed = (address: Address, allowlist: OutboundAllowlist) =>
  allowlist.cidrs.some((block) => sameKind(address, block) && address.match(block))

const HOST_LABEL = /^(?!-)[a-z0-9_-]{1,63}(?<!-)$/
/** WHATWG URL reads a host whose last label is a number (`0x7f.1`, `2130706433`) as IPv4. */
const NUMERIC_LABEL = /^(0x[0-9a-f]*|[0-9]+)$/

/**
 * Parses `SIGHTLINE_ALERT_ALLOWED_TARGETS`: comma-separated host names, IP addresses (a /32 or
 * /128 block) and CIDR blocks. Returns the problems instead of throwing, for the env schema.
 */
export function parseAllowlist(text: string): { allowlist: OutboundAllowlist; problems: string[] } {
  const hosts = new Set<string>()
  const cidrs: Cidr[] = []
  const problems: string[] = []
  for (const raw of text.split(',')) {
    const entry = unbracket(raw.trim())
    if (entry === '') continue
    const [ip = '', bits] = entry.split('/')
    if (bits !== undefined && net.isIP(ip) !== 0) {
      if (!/^\d{1,3}$/.test(bits) || !ipaddr.isValidCIDR(entry))
        problems.push(`"${entry}" is not a CIDR block (e.g. 10.0.0.0/8, fd00::/8)`)
      else cidrs.push([parseIP(ip), Number(bits)])
    } else if (net.isIP(entry) !== 0) {
      const address = parseIP(entry)
      cidrs.push([address, address.kind() === 'ipv4' ? 32 : 128])
    } else {
      const host = canonicalHost(entry)
      const labels = host.split('.')
      if (!labels.every((label) => HOST_LABEL.test(label)) || NUMERIC_LABEL.test(labels[labels.length - 1] ?? '')) {
        problems.push(`"${entry}" is neither a host name, an IP address (a.b.c.d, IPv6) nor a CIDR block`)
      } else hosts.add(host)
    }
  }
  return { allowlist: { hosts, cidrs }, problems }
}
