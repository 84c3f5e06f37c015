import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { prefetchTraceSkeleton } from './api/client'
import { App } from './App'
import { prefetchFleetMap } from './features/registry/registry-api'
import { FleetMapPage, TraceViewPage } from './pages'
import './styles.css'

/**
 * How long the first render waits for a deep link's page chunk. Drawn before the chunk, the page
 * would show "Loading…" and could not show itself until 300 ms after that (lib/lazy-page.ts); a chunk
 * slower than this (a cold cache on a slow network) gets that fallback instead of a blank page.
 */
const CHUNK_WAIT_MS = 1000

const pageChunks: Array<Promise<void>> = []

// Deep link to a trace: start its two slow parts (skeleton request, page chunk) right away.
const deepLink = /^\/traces\/([0-9a-f]{32})$/i.exec(window.location.pathname)
if (deepLink) {
  prefetchTraceSkeleton(deepLink[1]!.toLowerCase())
  pageChunks.push(TraceViewPage.preload())
}

// Deep link to the fleet map: its request overlaps the page chunk and the session check.
if (window.location.pathname === '/registry/map') {
  prefetchFleetMap(window.location.search)
  pageChunks.push(FleetMapPage.preload())
}

const render = () =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  )
if (pageChunks.length === 0) render()
else
  void Promise.race([
    Promise.allSettled(pageChunks),
    new Promise((resolve) => setTimeout(resolve, CHUNK_WAIT_MS)),
  ]).then(render)
