import type { MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import { isHttps, type OriginEnv } from './request-origin.js'

/**
 * Headers on every response (console, API, OTLP). The CSP allows scripts, styles and requests from
 * this origin only: the built console has no inline script (a test checks index.html), and React's
 * `style` props are set through the DOM, which `style-src` does not govern. `img-src data:` is
 * for charts' inline images. Frames are refused both ways (CSP and X-Frame-Options for old browsers).
 * `Referrer-Policy: same-origin` sends no referrer to other sites yet keeps `Origin` on this site's
 * own POSTs (with `no-referrer` browsers send `Origin: null` there, which the CSRF guard would refuse).
 */
export function securityHeaders(env: OriginEnv): MiddlewareHandler {
  const base = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      fontSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'same-origin',
    // Only over TLS, set below: on plain http it would mean nothing, and on localhost it is noise.
    strictTransportSecurity: false,
  })
  return async function securityHeaders(c, next) {
    await base(c, next)
    if (isHttps(c, env)) c.header('Strict-Transport-Security', 'max-age=15552000')
  }
}
