/**
 * A local OpenAI-compatible judge (`POST /v1/chat/completions`) for evaluator tests: it scores by a
 * rule the test gives (over the prompt text), answers with structured JSON and exact usage, and can
 * be told to fail (HTTP errors to retry, prose instead of JSON).
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface JudgeReply {
  score: number
  label: string
  explanation: string
}

export interface MockJudge {
  /** Base URL to put in SIGHTLINE_JUDGE_URL (`…/v1`). */
  url: string
  /** Every request body received, in order. */
  requests: Array<{ model: string; prompt: string; authorization: string }>
  /** The next `n` requests get this HTTP status (e.g. 503 to exercise retries). */
  failNext(n: number, status: number): void
  /** Answer prose instead of JSON from now on (or stop doing so). */
  answerProse(on: boolean): void
  close(): Promise<void>
}

export const JUDGE_USAGE = { prompt_tokens: 600, completion_tokens: 80 }

export async function startMockJudge(rule: (prompt: string) => JudgeReply): Promise<MockJudge> {
  const requests: MockJudge['requests'] = []
  let failures: { left: number; status: number } = { left: 0, status: 503 }
  let prose = false
  let counter = 0
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req
      .on('data', (c: Buffer) => chunks.push(c))
      .on('end', () => {
        if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
          res.writeHead(404).end()
          return
        }
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          model: string
          messages: Array<{ content: string }>
        }
        const prompt = body.messages.map((m) => m.content).join('\n')
        requests.push({ model: body.model, prompt, authorization: req.headers.authorization ?? '' })
        if (failures.left > 0) {
          failures.left--
          res
            .writeHead(failures.status, { 'content-type': 'application/json' })
            .end('{"error":{"message":"overloaded"}}')
          return
        }
        const content = prose ? 'I think this answer is quite good overall.' : JSON.stringify(rule(prompt))
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: `chatcmpl-judge-${++counter}`,
            object: 'chat.completion',
            model: `${body.model}-2024-07-18`,
            choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
            usage: { ...JUDGE_USAGE, total_tokens: JUDGE_USAGE.prompt_tokens + JUDGE_USAGE.completion_tokens },
          }),
        )
      })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    failNext: (n, status) => (failures = { left: n, status }),
    answerProse: (on) => (prose = on),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
