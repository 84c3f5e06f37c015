/**
 * A TCP pass-through that counts the bytes a client sends: what an exporter put on the wire, for
 * telling a gzip-compressed gRPC stream from a plain one without parsing HTTP/2.
 */
import net, { type AddressInfo } from 'node:net'

export interface ByteCounter {
  port: number
  /** Bytes received from clients so far, all connections together. */
  bytesIn(): number
  close(): Promise<void>
}

export function startByteCounter(targetPort: number): Promise<ByteCounter> {
  let bytes = 0
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1')
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    }
    client.on('data', (chunk: Buffer) => (bytes += chunk.length))
    client.on('error', () => upstream.destroy())
    upstream.on('error', () => client.destroy())
    client.pipe(upstream).pipe(client)
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        bytesIn: () => bytes,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => done())
          }),
      }),
    )
  })
}
