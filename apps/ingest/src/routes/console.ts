import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Hono } from 'hono'
import { serveStatic } from '@hono/node-server/serve-static'

/** Same depth from src/ and dist/, so both resolve to apps/web/dist. */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../web/dist', import.meta.url))

/**
 * Serves the built console. Client-side routes (`/traces/abc`) get index.html; hashed assets are
 * cached for a year, index.html never (so a new build is picked up at once).
 */
export function consoleRoutes(consoleDir: string): Hono {
  const app = new Hono()
  const root = path.relative(process.cwd(), consoleDir) || '.'
  const indexFile = path.join(consoleDir, 'index.html')
  app.use('/assets/*', async (c, next) => {
    await next()
    if (c.res.ok) c.header('Cache-Control', 'public, max-age=31536000, immutable')
  })
  // Without a build there is nothing to serve (tests, `pnpm start` before `pnpm build`).
  if (fs.existsSync(indexFile)) app.use('*', serveStatic({ root }))
  app.get('*', (c) => {
    if (!fs.existsSync(indexFile)) {
      return c.json({ error: { code: 'console_not_built', message: 'The console is not built: run `pnpm build`.' } }, 404)
    }
    c.header('Cache-Control', 'no-cache')
    return c.html(fs.readFileSync(indexFile, 'utf8'))
  })
  return app
}
