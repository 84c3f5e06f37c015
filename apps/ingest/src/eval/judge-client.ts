/**
 * The operator's OpenAI-compatible judge endpoint (SIGHTLINE_JUDGE_*): one chat completion per
 * evaluation, with a timeout per attempt and retries (exponential backoff) after network errors,
 * 429 and 5xx. The key comes from the environment only. Failures are errors with a reason, for the
 * evaluator's error score; nothing here guesses a score.
 */
import type { Env } from '../env.js'

export interface JudgeEndpoint {
  url: string
  model: string
  provider: string
  apiKey: string | undefined
  timeoutMs: number
  retries: number
}

export function judgeEndpointFrom(env: Env): JudgeEndpoint | undefined {
  if (!env.SIGHTLINE_JUDGE_URL) return undefined
  return {
    url: env.SIGHTLINE_JUDGE_URL,
    model: env.SIGHTLINE_JUDGE_MODEL,
    provider: env.SIGHTLINE_JUDGE_PROVIDER,
    apiKey: env.SIGHTLINE_JUDGE_API_KEY,
    timeoutMs: env.SIGHTLINE_JUDGE_TIMEOUT_MS,
    retries: env.SIGHTLINE_JUDGE_RETRIES,
  }
}

export class JudgeError extends Error {
  override name = 'JudgeError'
}

export interface JudgeCall {
  /** The assistant message's text. */
  content: string
  /** The whole response body (for usage and ids). */
  body: unknown
  responseModel: string
  responseId: string
  startedMs: number
  endedMs: number
  attempts: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export class JudgeClient {
  constructor(readonly endpoint: JudgeEndpoint) {}

  /** POSTs the body; resolves with the answer, or rejects with a JudgeError naming the last failure. */
  async complete(body: Record<string, unknown>): Promise<JudgeCall> {
    const url = `${this.endpoint.url.replace(/\/+$/, '')}/chat/completions`
    const startedMs = Date.now()
    let last = ''
    for (let attempt = 1; attempt <= this.endpoint.retries + 1; attempt++) {
      if (attempt > 1) await sleep(500 * 2 ** (attempt - 2))
      let res: Response
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(this.endpoint.apiKey ? { authorization: `Bearer ${this.endpoint.apiKey}` } : {}),
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.endpoint.timeoutMs),
        })
      } catch (err) {
        const reason =
          (err as Error).name === 'TimeoutError'
            ? `no answer within ${this.endpoint.timeoutMs} ms`
            : (err as Error).message
        last = `cannot reach the judge at ${url}: ${reason}`
        continue
      }
      const text = await res.text()
      if (res.status === 429 || res.status >= 500) {
        last = `judge answered HTTP ${res.status}: ${text.slice(0, 200)}`
        continue
      }
      if (!res.ok) throw new JudgeError(`judge answered HTTP ${res.status}: ${text.slice(0, 300)}`)
      let parsed: unknown
      try {
        parsed = JSON.parse(text)
      } catch {
        throw new JudgeError(`judge answered something that is not JSON: ${text.slice(0, 200)}`)
      }
      const choice = (parsed as { choices?: Array<{ message?: { content?: unknown } }> }).choices?.[0]
      const content = choice?.message?.content
      if (typeof content !== 'string') throw new JudgeError('judge answer has no choices[0].message.content')
      const meta = parsed as { model?: unknown; id?: unknown }
      return {
        content,
        body: parsed,
        responseModel: typeof meta.model === 'string' ? meta.model : String(body.model ?? ''),
        responseId: typeof meta.id === 'string' ? meta.id : '',
        startedMs,
        endedMs: Date.now(),
        attempts: attempt,
      }
    }
    throw new JudgeError(`${last} (after ${this.endpoint.retries + 1} attempts)`)
  }
}
