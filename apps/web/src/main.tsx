import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { prefetchTraceSkeleton } from './api/client'
import { App } from './App'
import { prefetchFleetMap } from './features/registry/registry-api'
import './styles.css'

// Deep link to a trace: start its two slow parts (skeleton request, page chunk) right away.
const deepLink = /^\/traces\/([0-9a-f]{32})$/i.exec(window.location.pathname)
if (deepLink) {
  prefetchTraceSkeleton(deepLink[1]!.toLowerCase())
  void import('./features/trace/TraceViewPage')
}

// Deep link to the fleet map: its request overlaps the page chunk and the session check.
if (window.location.pathname === '/registry/map') {
  prefetchFleetMap(window.location.search)
  void import('./features/fleet-map/FleetMapPage')
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
