import http from 'node:http'
import https from 'node:https'
import type { OutboundGuard } from './outbound-guard.js'

export interface GuardedPostOptions {
  /** The whole exchange: DNS, connect, TLS, request, response head and the capped body read. */
  timeoutMs: number
  /** At most this much of the response body is read; the connection is closed after it. */
  maxResponseBytes: number
}

export interface PostResult {
  status: number
  /** `Location` of a 3xx, which is reported and never followed. */
  location: string | undefined
  /** The start of the response body (UTF-8, capped), for logs. */
  bodyStart: string
}

/**
 * POSTs `body` to a user-supplied URL through the guard: the URL is re-checked, the host is
 * resolved and checked by the guard's pinned `lookup`, redirects are returned rather than
 * followed, and the response read is capped. One fresh connection per call (no agent pool), so
 * no socket outlives the check that opened it.
 * Rejects with the guard's `OutboundTargetError` when the target is refused, or with the network
 * error / a time-out error.
 */
export function guardedPost(
  guard: OutboundGuard,
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  options: GuardedPostOptions,
): Promise<PostResult> {
  let url: URL
  try {
    url = guard.checkUrl(rawUrl)
  } catch (err) {
    return Promise.reject(err as Error)
  }
  const transport = url.protocol === 'https:' ? https : http
  return new Promise<PostResult>((resolve, reject) => {
    const request = transport.request(url, {
      method: 'POST',
      agent: false,
      lookup: guard.lookup,
      headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' },
    })
    const timer = setTimeout(
      () =>
        request.destroy(Object.assign(new Error(`no answer within ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })),
      options.timeoutMs,
    )
    const settle = (fn: () => void) => {
      clearTimeout(timer)
      fn()
    }
    request.on('error', (err) => settle(() => reject(err)))
    request.on('response', (response) => {
      const chunks: Buffer[] = []
      let received = 0
      const finish = () => {
        response.destroy()
        const location = response.headers.location
        settle(() =>
          resolve({
            status: response.statusCode ?? 0,
            location,
            bodyStart: Buffer.concat(chunks).toString('utf8', 0, Math.min(received, 512)),
          }),
        )
      }
      response.on('data', (chunk: Buffer) => {
        const room = options.maxResponseBytes - received
        if (room > 0) chunks.push(chunk.subarray(0, room))
        received += Math.min(chunk.length, Math.max(room, 0))
        if (received >= options.maxResponseBytes) finish()
      })
      response.on('end', finish)
      response.on('error', (err) => settle(() => reject(err)))
    })
    request.end(body)
  })
}
