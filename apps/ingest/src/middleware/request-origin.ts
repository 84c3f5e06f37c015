import type { Context } from 'hono'
import type { Env } from '../env.js'

export type OriginEnv = Pick<Env, 'SIGHTLINE_PUBLIC_URL' | 'SIGHTLINE_TRUST_PROXY'>

/**
 * Whether the browser reached the console over TLS: a configured https public URL, the proxy's
 * `X-Forwarded-Proto` (trusted only with SIGHTLINE_TRUST_PROXY: anyone can send the header), or TLS
 * on this socket.
 */
export function isHttps(c: Context, env: OriginEnv): boolean {
  if (env.SIGHTLINE_PUBLIC_URL?.startsWith('https:')) return true
  if (env.SIGHTLINE_TRUST_PROXY && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https')
    return true
  return new URL(c.req.url).protocol === 'https:'
}

/**
 * Whether `origin` (the browser's `Origin` header) is this server: the host and port the request
 * was addressed to (like Go's CrossOriginProtection: the scheme is the proxy's business), or the
 * configured public URL. Another port of the same host is another origin.
 */
export function isOwnOrigin(origin: string, c: Context, env: OriginEnv): boolean {
  let parsed: URL
  try {
    parsed = new URL(origin)
  } catch {
    return false // includes "null" (sandboxed frames, opaque origins)
  }
  if (env.SIGHTLINE_PUBLIC_URL && parsed.origin === new URL(env.SIGHTLINE_PUBLIC_URL).origin) return true
  const host = c.req.header('host')
  return host !== undefined && parsed.host === host.toLowerCase()
}
