/** Router and the sign-in gate only; pages load lazily (pages.ts) so the first load stays small. */
import { Suspense, useEffect, useState } from 'react'
import type { SessionResponse } from '@sightline/schema'
import { Redirect, Route, Switch, useLocation } from 'wouter'
import { api, onUnauthorized } from './api/client'
import { AppShell } from './components/AppShell'
import { Loading } from './components/States'
import { SignInPage } from './features/auth/SignInPage'
import { ExplorerPage } from './features/explorer/ExplorerPage'
import {
  AnomaliesPage,
  CasePage,
  ComparePage,
  DashboardsPage,
  EvaluatorsPage,
  ExportCasePage,
  FleetMapPage,
  IncidentPage,
  QuarantinePage,
  RegistryPage,
  ReleasesPage,
  ReviewPage,
  ReviewQueuesPage,
  ScoreConfigsPage,
  SessionPage,
  SuitesPage,
  TraceViewPage,
} from './pages'

/** 'checking' renders like signed-in: see below. */
type AuthState = 'checking' | 'signed-in' | 'signed-out'

export function App() {
  const [location, navigate] = useLocation()
  const [auth, setAuth] = useState<AuthState>('checking')
  const [session, setSession] = useState<SessionResponse | undefined>(undefined)
  const signedIn = (s: SessionResponse) => {
    setSession(s)
    setAuth('signed-in')
  }

  useEffect(() => {
    onUnauthorized(() => {
      setAuth('signed-out')
      const here = window.location.pathname + window.location.search
      if (!here.startsWith('/signin')) navigate(`/signin?next=${encodeURIComponent(here)}`)
    })
    api.getSession().then(signedIn, () => setAuth('signed-out'))
  }, [navigate])

  if (location === '/signin')
    return <SignInPage session={auth === 'signed-in' ? session : undefined} onSignedIn={signedIn} />
  // While the session check runs, pages render and fetch optimistically: a 401 from any call
  // redirects too, and waiting would add a round trip before every deep link.
  if (auth === 'signed-out')
    return <Redirect to={`/signin?next=${encodeURIComponent(location + window.location.search)}`} />

  return (
    <AppShell
      session={session}
      onSignOut={() =>
        api.signOut().finally(() => {
          setSession(undefined)
          setAuth('signed-out')
          navigate('/signin')
        })
      }
    >
      <Suspense fallback={<Loading />}>
        <Switch>
          <Route path="/">
            <Redirect to="/traces" />
          </Route>
          <Route path="/traces" component={ExplorerPage} />
          <Route path="/traces/:traceId/regression">{(p) => <ExportCasePage traceId={p.traceId} />}</Route>
          <Route path="/traces/:traceId">{(p) => <TraceViewPage traceId={p.traceId} />}</Route>
          <Route path="/sessions/:sessionId">
            {(p) => <SessionPage kind="session" id={decodeURIComponent(p.sessionId)} />}
          </Route>
          <Route path="/users/:userId">{(p) => <SessionPage kind="user" id={decodeURIComponent(p.userId)} />}</Route>
          <Route path="/compare" component={ComparePage} />
          <Route path="/regression" component={SuitesPage} />
          <Route path="/regression/cases/:caseId">{(p) => <CasePage id={decodeURIComponent(p.caseId)} />}</Route>
          <Route path="/dashboards" component={DashboardsPage} />
          <Route path="/releases" component={ReleasesPage} />
          <Route path="/anomalies" component={AnomaliesPage} />
          <Route path="/anomalies/:id">{(p) => <IncidentPage id={p.id} />}</Route>
          <Route path="/quarantine" component={QuarantinePage} />
          <Route path="/registry/map" component={FleetMapPage} />
          <Route path="/registry" component={RegistryPage} />
          <Route path="/review" component={ReviewQueuesPage} />
          <Route path="/review/configs" component={ScoreConfigsPage} />
          <Route path="/review/:queueId">{(p) => <ReviewPage queueId={decodeURIComponent(p.queueId)} />}</Route>
          <Route path="/evaluators" component={EvaluatorsPage} />
          <Route>
            <div className="page">
              <p className="muted">
                No page at {location}. <a href="/traces">Go to traces</a>
              </p>
            </div>
          </Route>
        </Switch>
      </Suspense>
    </AppShell>
  )
}
