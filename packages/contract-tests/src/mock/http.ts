import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface MockServer {
  url: string
  close(): Promise<void>
}

export type JsonHandler = (path: string, body: unknown, res: http.ServerResponse) => void

/**
 * A loopback HTTP server that hands each POST's parsed JSON body to `handle`. A handler that
 * throws answers 500 with the message, so the framework surfaces the scripting error.
 */
export async function startJsonServer(handle: JsonHandler): Promise<MockServer> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      try {
        const text = Buffer.concat(chunks).toString('utf8')
        handle(req.url ?? '', text === '' ? {} : JSON.parse(text), res)
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        console.error(message)
        res.writeHead(500, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ error: { message, code: 500, status: 'INTERNAL' } }))
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((err) => (err ? reject(err) : resolve()))
      }),
  }
}

export function sendJson(res: http.ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

/** Server-sent events, one `data:` line per event, as both Gemini (`alt=sse`) and OpenAI stream. */
export function sendSse(res: http.ServerResponse, events: readonly unknown[], done?: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  for (const event of events) res.write(`data: ${JSON.stringify(event)}\n\n`)
  if (done !== undefined) res.write(`data: ${done}\n\n`)
  res.end()
}
