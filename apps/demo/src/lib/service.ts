/**
 * Lifecycle shared by every demo process: register tracing under the process's own `service.name`,
 * start serving, tell the parent (fleet) the URL over IPC, and on SIGINT/SIGTERM stop serving and
 * flush the last spans before exiting.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { composeRedactors, redactionRules, registerSightline, type SightlineHandle } from '@sightline/sdk'
import { readConfig, type DemoConfig } from './config.js'

export interface Started {
  url: string
  close(): Promise<void>
}

export interface ServiceSpec {
  serviceName: string
  serviceVersion: string
  /** Tracing off: the traffic generator plays the end users, who send no spans. */
  traced?: boolean
  start(config: DemoConfig): Promise<Started>
}

/** Message a child sends to the fleet once it serves. */
export interface ReadyMessage {
  type: 'ready'
  service: string
  url: string
}

function registerTracing(config: DemoConfig, serviceName: string, serviceVersion: string): SightlineHandle {
  return registerSightline({
    endpoint: config.sightlineUrl,
    apiKey: config.sightlineApiKey,
    serviceName,
    serviceVersion,
    environment: 'demo',
    // Content capture is on so the console shows prompts; the rules keep e-mails and keys out.
    captureContent: true,
    redact: composeRedactors(redactionRules.email, redactionRules.apiKey),
    batch: { scheduledDelayMillis: 1000, maxExportBatchSize: 512, maxQueueSize: 8192 },
  })
}

export async function runService(spec: ServiceSpec): Promise<void> {
  const config = readConfig()
  const tracing = spec.traced === false ? undefined : registerTracing(config, spec.serviceName, spec.serviceVersion)
  const started = await spec.start(config)
  const ready: ReadyMessage = { type: 'ready', service: spec.serviceName, url: started.url }
  if (process.send) process.send(ready)
  else console.log(`${spec.serviceName}@${spec.serviceVersion} ready at ${started.url}`)

  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    try {
      await started.close()
    } finally {
      await tracing?.shutdown().catch((err: unknown) => console.error(`${spec.serviceName}: flush failed`, err))
      process.exit(0)
    }
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
  // An orphaned child (fleet killed hard) must not linger and hold its port.
  process.on('disconnect', () => void stop())
}

/** Listens on loopback; port 0 picks a free one. */
export async function listen(handler: http.RequestListener, port: number): Promise<Started> {
  const server = http.createServer(handler)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const { port: actual } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeIdleConnections()
        // In-flight requests get a moment to finish; then the process may exit.
        setTimeout(() => {
          server.closeAllConnections()
          resolve()
        }, 2000).unref()
      }),
  }
}
