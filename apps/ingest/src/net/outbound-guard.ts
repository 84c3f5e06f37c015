import dns from 'node:dns'
import net, { type LookupFunction } from 'node:net'
import { canonicalHost, EMPTY_ALLOWLIST, forbiddenReason, unbracket, type OutboundAllowlist } from './address-policy.js'

export interface ResolvedAddress {
  address: string
  family: 4 | 6
}
/** Every address a host name resolves to (the system resolver in production, a fake in tests). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>

export const systemResolver: HostResolver = async (hostname) =>
  (await dns.promises.lookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }))

/**
 * Why an outbound target was not used. `refused`: the URL or an address it resolves to is not
 * allowed; `unresolved`: the name does not exist; `dns_unavailable`: the resolver failed or timed
 * out, so nothing could be checked (worth retrying later).
 */
export class OutboundTargetError extends Error {
  constructor(
    readonly kind: 'refused' | 'unresolved' | 'dns_unavailable',
    message: string,
  ) {
    super(message)
    this.name = 'OutboundTargetError'
  }
}

const ALLOWED_PROTOCOLS = new Set(['http:', 'https:'])
/** RFC 6761 reserves `localhost` and `*.localhost`; the other two are Debian's /etc/hosts names for ::1. */
const LOCALHOST_NAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback'])
const HINT =
  'Alerts are only sent to public addresses; an operator can allow a private target with ' +
  'SIGHTLINE_ALERT_ALLOWED_TARGETS.'

const refused = (what: string) => new OutboundTargetError('refused', `${what}. ${HINT}`)

/**
 * The one gate for server-side outbound HTTP to user-supplied URLs (SSRF). A URL is checked when
 * it is saved (`checkTarget`: syntax, then every address its host resolves to) and again on every
 * connection: `lookup` is handed to `http.request`, so the socket dials exactly the address that
 * was just checked and a DNS answer that changes between save and send (rebinding) cannot move
 * the request to a forbidden address. IP-literal hosts never reach `lookup` (`net.connect` dials
 * them directly), which is why `checkUrl` must run before every request too.
 */
export class OutboundGuard {
  constructor(
    readonly allowlist: OutboundAllowlist = EMPTY_ALLOWLIST,
    private readonly resolver: HostResolver = systemResolver,
    private readonly resolveTimeoutMs = 5_000,
  ) {}

  /** Checks what can be checked without DNS; returns the parsed URL to send to (never the raw string). */
  checkUrl(raw: string): URL {
    let url: URL
    try {
      url = new URL(raw)
    } catch {
      throw new OutboundTargetError('refused', 'Webhook URL is not a valid URL.')
    }
    if (!ALLOWED_PROTOCOLS.has(url.protocol))
      throw new OutboundTargetError(
        'refused',
        `Webhook URL must use http or https, not ${url.protocol.replace(/:$/, '')}.`,
      )
    if (url.username !== '' || url.password !== '')
      throw new OutboundTargetError(
        'refused',
        'Webhook URL must not embed credentials (user:password@); put secrets in the path or rely on the signature.',
      )
    const host = unbracket(url.hostname)
    if (net.isIP(host) !== 0) {
      const reason = forbiddenReason(host, this.allowlist)
      if (reason) throw refused(`Webhook URL refused: ${host} is ${reason}`)
      return url
    }
    const name = canonicalHost(host)
    if (this.allowlist.hosts.has(name)) return url
    if (LOCALHOST_NAMES.has(name) || name.endsWith('.localhost'))
      throw refused(`Webhook URL refused: ${host} is a localhost name (loopback)`)
    return url
  }

  /** Save-time check: the URL, then every address its host resolves to (one forbidden address refuses it). */
  async checkTarget(raw: string): Promise<URL> {
    const url = this.checkUrl(raw)
    const host = unbracket(url.hostname)
    if (net.isIP(host) === 0) await this.resolve(host)
    return url
  }

  /**
   * Resolves `hostname` and checks every answer; allowlisted names are trusted whatever they
   * resolve to (that is what listing a name means).
   */
  async resolve(hostname: string): Promise<ResolvedAddress[]> {
    const addresses = await this.resolveWithTimeout(hostname)
    if (addresses.length === 0)
      throw new OutboundTargetError('unresolved', `Webhook host ${hostname} does not resolve to any address.`)
    if (this.allowlist.hosts.has(canonicalHost(hostname))) return addresses
    for (const { address } of addresses) {
      const reason = forbiddenReason(address, this.allowlist)
      if (reason) throw refused(`Webhook URL refused: ${hostname} resolves to ${address}, ${reason}`)
    }
    return addresses
  }

  /**
   * A `lookup` for `http.request` / `net.connect` that answers only checked addresses. With
   * `all` (Node's happy-eyeballs path) it returns all of them, otherwise the first of the
   * requested family.
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname).then(
      (all) => {
        const family =
          options.family === 4 || options.family === 6
            ? options.family
            : options.family === 'IPv4'
              ? 4
              : options.family === 'IPv6'
                ? 6
                : 0
        const usable = family === 0 ? all : all.filter((a) => a.family === family)
        const first = usable[0]
        if (!first)
          return callback(
            Object.assign(new Error(`${hostname} has no IPv${family} address`), { code: 'ENOTFOUND' }),
            '',
            0,
          )
        if (options.all) callback(null, usable)
        else callback(null, first.address, first.family)
      },
      (err: Error) => callback(err, '', 0),
    )
  }

  private async resolveWithTimeout(hostname: string): Promise<ResolvedAddress[]> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new OutboundTargetError(
              'dns_unavailable',
              `Could not resolve ${hostname} within ${this.resolveTimeoutMs} ms; try again later.`,
            ),
          ),
        this.resolveTimeoutMs,
      )
    })
    try {
      return await Promise.race([this.resolver(hostname), timeout])
    } catch (err) {
      if (err instanceof OutboundTargetError) throw err
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'ENOTFOUND' || code === 'ENODATA')
        throw new OutboundTargetError('unresolved', `Webhook host ${hostname} does not resolve (${code}).`)
      throw new OutboundTargetError(
        'dns_unavailable',
        `Could not resolve ${hostname} (${code ?? (err as Error).message}); try again later.`,
      )
    } finally {
      clearTimeout(timer)
    }
  }
}
