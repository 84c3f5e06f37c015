/**
 * The console's pages that load on demand, one chunk each, so the first load stays small. A page that
 * must draw fast from a deep link or a click (the trace view) is preloaded: see lib/lazy-page.ts.
 */
import { lazyPage } from './lib/lazy-page'

export const TraceViewPage = lazyPage(() => import('./features/trace/TraceViewPage'))
export const SessionPage = lazyPage(() => import('./features/sessions/SessionPage'))
export const ComparePage = lazyPage(() => import('./features/compare/ComparePage'))
export const ExportCasePage = lazyPage(() => import('./features/regression/ExportCasePage'))
export const SuitesPage = lazyPage(() => import('./features/regression/SuitesPage'))
export const CasePage = lazyPage(() => import('./features/regression/CasePage'))
export const DashboardsPage = lazyPage(() => import('./features/dashboards/DashboardsPage'))
export const ReleasesPage = lazyPage(() => import('./features/releases/ReleasesPage'))
export const AnomaliesPage = lazyPage(() => import('./features/anomalies/AnomaliesPage'))
export const IncidentPage = lazyPage(() => import('./features/anomalies/IncidentPage'))
export const QuarantinePage = lazyPage(() => import('./features/quarantine/QuarantinePage'))
export const RegistryPage = lazyPage(() => import('./features/registry/RegistryPage'))
export const FleetMapPage = lazyPage(() => import('./features/fleet-map/FleetMapPage'))
export const ReviewQueuesPage = lazyPage(() => import('./features/review/ReviewQueuesPage'))
export const ReviewPage = lazyPage(() => import('./features/review/ReviewPage'))
export const ScoreConfigsPage = lazyPage(() => import('./features/scores/ScoreConfigsPage'))
export const EvaluatorsPage = lazyPage(() => import('./features/evaluators/EvaluatorsPage'))
