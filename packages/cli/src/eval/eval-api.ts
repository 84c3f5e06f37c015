/**
 * What `sightline eval run` asks of Sightline beyond the regression runner's reads: the suite's
 * cases, the last accepted gate run, and sending results back (`ci` scores per run trace, the gate
 * report). Responses are parsed with the contract's schemas.
 */
import {
  EvalRunSchema,
  GetRegressionCaseResponseSchema,
  GetTraceResponseSchema,
  ListEvalRunsResponseSchema,
  ListRegressionCasesResponseSchema,
  PostScoresResponseSchema,
  type EvalRun,
  type EvalRunReport,
  type GetTraceResponse,
  type RegressionCase,
} from '@sightline/schema'

class EvalApiError extends Error {
  override name = 'EvalApiError'
}

export class EvalApi {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string | undefined,
  ) {}

  private async json(path: string, init: RequestInit = {}): Promise<unknown> {
    const headers = new Headers(init.headers)
    if (this.apiKey) headers.set('authorization', `Bearer ${this.apiKey}`)
    if (init.body) headers.set('content-type', 'application/json')
    let res: Response
    try {
      res = await fetch(`${this.baseUrl.replace(/\/+$/, '')}${path}`, {
        ...init,
        headers,
        signal: AbortSignal.timeout(30_000),
      })
    } catch (err) {
      throw new EvalApiError(`cannot reach Sightline at ${this.baseUrl} (${(err as Error).message})`)
    }
    if (!res.ok)
      throw new EvalApiError(
        `${init.method ?? 'GET'} ${path.split('?')[0]}: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`,
      )
    return res.json()
  }

  async suiteCases(suite: string): Promise<RegressionCase[]> {
    const { cases } = ListRegressionCasesResponseSchema.parse(
      await this.json(`/api/v1/regression-cases?suite=${encodeURIComponent(suite)}`),
    )
    return Promise.all(
      cases.map(
        async ({ id }) =>
          GetRegressionCaseResponseSchema.parse(await this.json(`/api/v1/regression-cases/${encodeURIComponent(id)}`))
            .case,
      ),
    )
  }

  async trace(traceId: string): Promise<GetTraceResponse> {
    return GetTraceResponseSchema.parse(await this.json(`/api/v1/traces/${traceId}`))
  }

  /** The latest passed gate run of the suite on another release: the accepted baseline. */
  async acceptedBaseline(suite: string, release: string): Promise<EvalRun | undefined> {
    const { runs } = ListEvalRunsResponseSchema.parse(
      await this.json(`/api/v1/eval-runs?suite=${encodeURIComponent(suite)}&verdict=pass&limit=50`),
    )
    return runs.find((r) => r.release !== release)
  }

  async postScores(scores: readonly Record<string, unknown>[]): Promise<void> {
    for (let i = 0; i < scores.length; i += 500) {
      PostScoresResponseSchema.parse(
        await this.json('/api/v1/scores', {
          method: 'POST',
          body: JSON.stringify({ scores: scores.slice(i, i + 500) }),
        }),
      )
    }
  }

  async postEvalRun(report: EvalRunReport): Promise<EvalRun> {
    return EvalRunSchema.parse(
      ((await this.json('/api/v1/eval-runs', { method: 'POST', body: JSON.stringify(report) })) as { run: unknown })
        .run,
    )
  }
}
