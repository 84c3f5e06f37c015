import type { ReactNode } from 'react'
import type { SessionResponse } from '@sightline/schema'
import { Link, useLocation } from 'wouter'
import { ProjectSwitcher } from './ProjectSwitcher'

export function AppShell({
  children,
  session,
  onSignOut,
}: {
  children: ReactNode
  session: SessionResponse | undefined
  onSignOut: () => void
}) {
  const [location] = useLocation()
  const item = (href: string, label: string, active: boolean) => (
    <Link href={href} className={active ? 'nav-item active' : 'nav-item'}>
      {label}
    </Link>
  )
  return (
    <div className="shell">
      <header className="topbar">
        <Link href="/traces" className="brand">
          ◉ Sightline
        </Link>
        <nav>
          {item('/traces', 'Traces', location === '/traces' || location.startsWith('/traces/'))}
          {item('/compare', 'Compare', location.startsWith('/compare'))}
          {item('/regression', 'Regression', location.startsWith('/regression'))}
          {item('/dashboards', 'Dashboards', location.startsWith('/dashboards'))}
          {item('/releases', 'Releases', location.startsWith('/releases'))}
          {item('/anomalies', 'Anomalies', location.startsWith('/anomalies'))}
          {item('/registry', 'Fleet', location.startsWith('/registry'))}
          {item('/review', 'Review', location.startsWith('/review'))}
          {item('/evaluators', 'Evaluators', location.startsWith('/evaluators'))}
        </nav>
        <span className="spacer" />
        {session && <ProjectSwitcher session={session} />}
        <button className="btn ghost" onClick={onSignOut}>
          Sign out
        </button>
      </header>
      <main className="content">{children}</main>
    </div>
  )
}
