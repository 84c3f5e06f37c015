/**
 * The runner's view of a Sightline server: read a run's trace back (polling until it has arrived
 * and stopped growing), report runs, pull saved cases. Responses are parsed with the schema package.
 */
import {
  GetRegressionCaseResponseSchema,
  GetTraceResponseSchema,
  ListRegressionCasesResponseSchema,
  type GetTraceResponse,
  type RegressionCase,
  type ReportRegressionRunRequest,
} from '@sightline/schema'

export class SightlineApiError extends Error {
  override name = 'SightlineApiError'
}

export class SightlineApi {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string | undefined,
  ) {}

  private async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    if (this.apiKey) headers.set('authorization', `Bearer ${this.apiKey}`)
    try {
      return await fetch(`${this.baseUrl.replace(/\/+$/, '')}${path}`, {
        ...init,
        headers,
        signal: init.signal ?? AbortSignal.timeout(15_000),
      })
    } catch (err) {
      throw new SightlineApiError(`cannot reach Sightline at ${this.baseUrl} (${(err as Error).message})`)
    }
  }

  private async json(path: string, init?: RequestInit): Promise<unknown> {
    const res = await this.request(path, init)
    if (!res.ok)
      throw new SightlineApiError(
        `${init?.method ?? 'GET'} ${path}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`,
      )
    return res.json()
  }

  /** The trace, or undefined while it has not arrived. */
  async getTrace(traceId: string): Promise<GetTraceResponse | undefined> {
    const res = await this.request(`/api/v1/traces/${traceId}`)
    if (res.status === 404) return undefined
    if (!res.ok)
      throw new SightlineApiError(`GET trace ${traceId}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`)
    return GetTraceResponseSchema.parse(await res.json())
  }

  /**
   * Polls until the trace exists, is no longer `running` (its root span arrived and ended) and its
   * span count held still for `settleMs` (exporters batch, so the last spans arrive after the
   * first). At the deadline: what arrived so far, undefined when nothing did.
   */
  async waitForTrace(traceId: string, deadlineMs: number, settleMs = 1500): Promise<GetTraceResponse | undefined> {
    let last: GetTraceResponse | undefined
    let stableSince = 0
    while (Date.now() < deadlineMs) {
      const trace = await this.getTrace(traceId)
      if (trace) {
        if (last && trace.spans.length === last.spans.length) {
          if (Date.now() - stableSince >= settleMs && trace.trace.outcome !== 'running') return trace
        } else stableSince = Date.now()
        last = trace
      }
      await new Promise((r) => setTimeout(r, 250))
    }
    return last
  }

  /** False when the server does not know the case (it was never saved there): the run still counts. */
  async reportRun(caseId: string, run: ReportRegressionRunRequest): Promise<boolean> {
    const res = await this.request(`/api/v1/regression-cases/${caseId}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(run),
    })
    if (res.status === 404) return false
    if (!res.ok)
      throw new SightlineApiError(`POST run of ${caseId}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`)
    return true
  }

  async listCases(suite: string): Promise<{ id: string }[]> {
    return ListRegressionCasesResponseSchema.parse(
      await this.json(`/api/v1/regression-cases?suite=${encodeURIComponent(suite)}`),
    ).cases
  }

  async getCase(id: string): Promise<RegressionCase> {
    return GetRegressionCaseResponseSchema.parse(await this.json(`/api/v1/regression-cases/${encodeURIComponent(id)}`))
      .case
  }
}
