/**
 * Connection limits, so that connections that never send a request cannot starve the ones that do.
 *
 * Node's own time-outs cover a request that has started (headers: 408 after `headersTimeout`,
 * whole request: `requestTimeout`) and a keep-alive connection between requests, but not a socket
 * that connects and sends nothing: that one stays open until the idle time-out. So every connection
 * must deliver its first request within the headers time-out, and when `maxConnections` are open, a
 * new one evicts the oldest connection that is not in the middle of a request. A flood of idle or
 * half-open sockets therefore costs a legitimate exporter nothing but, at worst, a reconnect.
 */
import type { Server, ServerOptions } from 'node:http'
import type { Socket } from 'node:net'

export interface HttpLimits {
  headersTimeoutMs: number
  requestTimeoutMs: number
  keepAliveTimeoutMs: number
  /** No bytes either way for this long closes the socket, also during a request. */
  idleTimeoutMs: number
  maxConnections: number
}

/** Options for `http.createServer`; Node checks the two request time-outs on this interval. */
export function httpServerOptions(limits: HttpLimits): ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
  }
}

interface Tracked {
  /** Requests on this socket whose response has not closed yet. */
  active: number
  firstRequest?: NodeJS.Timeout
}

/** Applies the idle time-out, the first-request deadline and the connection cap to `server`. */
export function guardConnections(server: Server, limits: HttpLimits): void {
  server.timeout = limits.idleTimeoutMs
  // Insertion order is connection order: the first idle entry is the oldest idle connection.
  const sockets = new Map<Socket, Tracked>()

  server.on('connection', (socket: Socket) => {
    if (sockets.size >= limits.maxConnections && !evictOldestIdle(sockets)) {
      socket.destroy()
      return
    }
    const tracked: Tracked = { active: 0 }
    tracked.firstRequest = setTimeout(() => socket.destroy(), limits.headersTimeoutMs).unref()
    sockets.set(socket, tracked)
    socket.once('close', () => {
      clearTimeout(tracked.firstRequest)
      sockets.delete(socket)
    })
  })

  server.on('request', (req, res) => {
    const tracked = sockets.get(req.socket)
    if (!tracked) return
    clearTimeout(tracked.firstRequest)
    tracked.active += 1
    res.once('close', () => (tracked.active -= 1))
  })
}

function evictOldestIdle(sockets: Map<Socket, Tracked>): boolean {
  for (const [socket, tracked] of sockets) {
    if (tracked.active > 0) continue
    sockets.delete(socket)
    socket.destroy()
    return true
  }
  return false
}
