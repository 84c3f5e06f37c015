import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { prefetchTraceSkeleton } from './api/client'
import { App } from './App'
import './styles.css'

// Deep link to a trace: start its two slow parts (skeleton request, page chunk) right away.
const deepLink = /^\/traces\/([0-9a-f]{32})$/i.exec(window.location.pathname)
if (deepLink) {
  prefetchTraceSkeleton(deepLink[1]!.toLowerCase())
  void import('./features/trace/TraceViewPage')
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
