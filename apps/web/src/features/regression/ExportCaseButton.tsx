/**
 * The trace view's entry to the regression editor: a primary button on traces where something
 * failed (outcome `failed` or `recovered`), a menu item ("More ▾") on ok traces, and nothing but a
 * note on a running trace (its story is not known yet).
 */
import type { TraceOutcome } from '@sightline/schema'
import { Link } from 'wouter'
import './regression.css'

export function ExportCaseButton({ traceId, outcome }: { traceId: string; outcome: TraceOutcome }) {
  const href = `/traces/${traceId}/regression`
  if (outcome === 'running')
    return (
      <span className="muted small" role="note">
        Still running: export it once it has finished
      </span>
    )
  if (outcome !== 'ok')
    return (
      <Link href={href} className="btn primary">
        Export as regression test
      </Link>
    )
  return (
    <details className="rc-menu">
      <summary className="btn ghost" aria-label="More actions">
        More ▾
      </summary>
      <div className="picker-menu rc-menu-list" role="menu">
        <Link href={href} className="picker-option" role="menuitem">
          Export as regression test
        </Link>
      </div>
    </details>
  )
}
