import fs from 'node:fs'
import path from 'node:path'
import type { Context } from 'hono'
import { Hono } from 'hono'
import { serveStatic } from '@hono/node-server/serve-static'
import { TRACE_VIEW_HEAD_SPANS } from '@sightline/schema'

const TRACE_PAGE = /^\/traces\/([0-9a-f]{32})$/i

/**
 * Serves the built console. Client-side routes (`/traces/abc`) get index.html, never cached (so a
 * new build is picked up at once); hashed assets are immutable for a year and sent precompressed
 * (`.br`/`.gz` written by the web build) to clients that accept it.
 */
export function consoleRoutes(consoleDir: string): Hono {
  const app = new Hono()
  const root = path.relative(process.cwd(), consoleDir) || '.'
  const indexFile = path.join(consoleDir, 'index.html')
  const sendIndex = (c: Context) => {
    if (!fs.existsSync(indexFile)) {
      return c.json(
        { error: { code: 'console_not_built', message: 'The console is not built: run `pnpm build`.' } },
        404,
      )
    }
    c.header('Cache-Control', 'no-cache')
    // A deep link to a trace: the browser asks for its skeleton while it still loads the console's
    // scripts, instead of after they ran (main.tsx makes the same request and is given this one).
    const trace = TRACE_PAGE.exec(c.req.path)
    if (trace) {
      const id = trace[1]!.toLowerCase()
      c.header(
        'Link',
        `</api/v1/traces/${id}/skeleton?head=${TRACE_VIEW_HEAD_SPANS}>; rel=preload; as=fetch; crossorigin`,
      )
    }
    return c.html(fs.readFileSync(indexFile, 'utf8'))
  }
  app.use('/assets/*', async (c, next) => {
    await next()
    if (!c.res.ok) return
    c.header('Cache-Control', 'public, max-age=31536000, immutable')
    // serveStatic adds Vary only when it picked a compressed file; a cache must know either way.
    if (!c.res.headers.get('Vary')) c.header('Vary', 'Accept-Encoding')
  })
  app.get('/', sendIndex)
  app.get('/index.html', sendIndex)
  // Without a build there is nothing to serve (tests, `pnpm start` before `pnpm build`).
  if (fs.existsSync(indexFile)) app.use('*', serveStatic({ root, precompressed: true }))
  app.get('*', sendIndex)
  return app
}
