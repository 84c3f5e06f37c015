/**
 * The trace view's entry to the regression editor: a primary button on failed traces, a menu item
 * ("More ▾") on every other trace.
 */
import { Link } from 'wouter'
import './regression.css'

export function ExportCaseButton({ traceId, status }: { traceId: string; status: string }) {
  const href = `/traces/${traceId}/regression`
  if (status === 'error') return <Link href={href} className="btn primary">Export as regression test</Link>
  return (
    <details className="rc-menu">
      <summary className="btn ghost" aria-label="More actions">More ▾</summary>
      <div className="picker-menu rc-menu-list" role="menu">
        <Link href={href} className="picker-option" role="menuitem">Export as regression test</Link>
      </div>
    </details>
  )
}
