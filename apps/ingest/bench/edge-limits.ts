/**
 * Event-loop probe for hostile OTLP bodies (`pnpm bench:limits`). A fresh server process gets:
 *
 * 1. normal requests one at a time (10 and 100 spans, protobuf and JSON+gzip): ack p50/p99, to
 *    check that the limits cost normal traffic nothing;
 * 2. each hostile body in turn (after a control period with none), while `/healthz` is polled and
 *    10-span batches keep being sent:
 *    the hostile answer and its time, `/healthz` and small acks meanwhile, the server's own
 *    longest event-loop delay (`/metrics`) and the CPU its main thread used (/proc, Linux).
 *
 * The hostile bodies are those that stalled the server (1M events in one span, a 10 MB `[[[…]]]`
 * body, 42 MB of `[]`) and 130k empty spans in 256 KB. The script reads the server over HTTP and
 * /proc only, so it runs unchanged against an older checkout for a before/after comparison.
 */
import http from 'node:http'
import zlib from 'node:zlib'
import { encodeJsonGzip, encodeProtobuf, generateRequests } from './generator.js'
import { percentile } from './load.js'
import { AUTH, cpuMs, removeDataDir, startServerProcess, type ServerProcess } from './server-process.js'

interface Answer {
  status: number
  ms: number
}

/** Never rejects: a reset or a 60 s silence is status -1, so one stall cannot end the run. */
function request(
  agent: http.Agent,
  url: string,
  method: string,
  body?: Buffer,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const started = performance.now()
  return new Promise((resolve) => {
    const failed = () => resolve({ status: -1, ms: performance.now() - started })
    const req = http.request(
      url,
      { agent, method, headers: body ? { ...headers, 'Content-Length': String(body.length) } : headers },
      (res) => {
        res.on('data', () => undefined)
        res.on('end', () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }))
        res.on('error', failed)
      },
    )
    req.setTimeout(60_000, () => req.destroy())
    req.on('error', failed)
    req.end(body)
  })
}

const PB = { 'Content-Type': 'application/x-protobuf', ...AUTH }
const JSON_GZ = { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip', ...AUTH }

function normalBodies(spansPerRequest: number, count: number, seed: number) {
  const now = Date.now()
  const generated = [
    ...generateRequests({
      seed,
      spans: spansPerRequest * count,
      spansPerRequest,
      windowStartMs: now - 60_000,
      windowEndMs: now,
    }),
  ]
  return {
    protobuf: generated.map((g) => encodeProtobuf(g.request)),
    jsonGzip: generated.map((g) => encodeJsonGzip(g.request)),
  }
}

function oneSpanJson(extra: string, seed: number): string {
  const now = BigInt(Date.now()) * 1_000_000n
  const id = (bytes: number) => seed.toString(16).padStart(2, '0').repeat(bytes)
  return (
    `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"${id(16)}","spanId":"${id(8)}` +
    `","name":"hostile","startTimeUnixNano":"${now}","endTimeUnixNano":"${now + 1000n}"${extra}}]}]}]}`
  )
}

/** A length-delimited protobuf field: tag byte, varint length, bytes. */
function field(tag: number, inner: Buffer): Buffer {
  const length: number[] = []
  for (let n = inner.length; ; n >>>= 7) {
    if (n < 0x80) {
      length.push(n)
      break
    }
    length.push((n & 0x7f) | 0x80)
  }
  return Buffer.concat([Buffer.from([tag, ...length]), inner])
}

function hostileBodies(): Array<{ name: string; body: Buffer; headers: Record<string, string> }> {
  const now = BigInt(Date.now()) * 1_000_000n
  const start = Buffer.alloc(8)
  start.writeBigUInt64LE(now)
  // Span: trace id (0x0a), span id (0x12), start (0x39, fixed64), then 1M events {name: "e"} (0x5a).
  const span = Buffer.concat([
    field(0x0a, Buffer.alloc(16, 0x31)),
    field(0x12, Buffer.alloc(8, 0x31)),
    Buffer.from([0x39]),
    start,
    Buffer.alloc(5_000_000, Buffer.from([0x5a, 0x03, 0x12, 0x01, 0x65])),
  ])
  const deep = 5_000_000
  return [
    {
      name: '1M events in one span, JSON+gzip',
      body: zlib.gzipSync(oneSpanJson(`,"events":[${'{"name":"e"},'.repeat(999_999)}{"name":"e"}]`, 0x21)),
      headers: JSON_GZ,
    },
    {
      name: '1M events in one span, protobuf+gzip',
      body: zlib.gzipSync(field(0x0a, field(0x12, field(0x12, span)))),
      headers: { ...PB, 'Content-Encoding': 'gzip' },
    },
    {
      name: '130k empty spans, protobuf',
      body: field(0x0a, field(0x12, Buffer.alloc(262_000, Buffer.from([0x12, 0x00])))),
      headers: PB,
    },
    {
      name: '10 MB [[[…]]] JSON',
      body: Buffer.from('['.repeat(deep) + ']'.repeat(deep)),
      headers: { 'Content-Type': 'application/json', ...AUTH },
    },
    {
      name: '42 MB of [] containers, JSON+gzip',
      body: zlib.gzipSync(`[${'[],'.repeat(14_000_000)}[]]`),
      headers: JSON_GZ,
    },
  ]
}

async function sequentialAcks(url: string, bodies: Buffer[], headers: Record<string, string>): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const latencies: number[] = []
  for (const body of bodies) {
    const res = await request(agent, `${url}/v1/traces`, 'POST', body, headers)
    if (res.status !== 200) throw new Error(`normal request answered ${res.status}`)
    latencies.push(res.ms)
    await new Promise((r) => setTimeout(r, 5))
  }
  agent.destroy()
  return latencies
}

/** Runs `probe` back to back (10 ms apart) on a connection of its own until `done` settles. */
async function pollWhile(done: Promise<unknown>, probe: (agent: http.Agent) => Promise<Answer>): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  let finished = false
  void done.finally(() => (finished = true))
  const latencies: number[] = []
  while (!finished) {
    latencies.push((await probe(agent)).ms)
    await new Promise((r) => setTimeout(r, 10))
  }
  agent.destroy()
  return latencies
}

/** CPU ms used so far by the server's main thread (the event loop); Linux /proc. */
const mainThreadCpuMs = (pid: number): number => cpuMs(pid, pid)

async function loopLagMaxMs(server: ServerProcess): Promise<number> {
  return (await server.metrics())['nodejs_eventloop_lag_max_seconds']! * 1000
}

const fmt = (ms: number) => `${ms.toFixed(1)} ms`
const summary = (xs: number[]) =>
  xs.length
    ? `p50 ${fmt(percentile(xs, 50))} / p99 ${fmt(percentile(xs, 99))} / max ${fmt(Math.max(...xs))} (n=${xs.length})`
    : 'n=0'

async function main(): Promise<void> {
  const small = normalBodies(10, 230, 7)
  const bench = normalBodies(100, 60, 11)
  const probes = normalBodies(10, 600, 13).protobuf
  const hostile = hostileBodies()
  const server = await startServerProcess('limits')
  try {
    await sequentialAcks(server.url, small.protobuf.slice(150), PB)
    console.log('ack latency, one request at a time (client-timed):')
    console.log(
      `  10 spans, protobuf:    ${summary(await sequentialAcks(server.url, small.protobuf.slice(0, 150), PB))}`,
    )
    console.log(
      `  10 spans, JSON+gzip:   ${summary(await sequentialAcks(server.url, small.jsonGzip.slice(0, 150), JSON_GZ))}`,
    )
    console.log(`  100 spans, protobuf:   ${summary(await sequentialAcks(server.url, bench.protobuf, PB))}`)
    console.log(`  100 spans, JSON+gzip:  ${summary(await sequentialAcks(server.url, bench.jsonGzip, JSON_GZ))}`)

    let nextProbe = 0
    const control = { name: 'control: no hostile body, 3 s', body: undefined, headers: {} }
    for (const { name, body, headers } of [control, ...hostile]) {
      await loopLagMaxMs(server)
      const cpuBefore = mainThreadCpuMs(server.pid)
      const agent = new http.Agent({ keepAlive: false })
      const answer = body
        ? request(agent, `${server.url}/v1/traces`, 'POST', body, headers)
        : new Promise<Answer>((resolve) => setTimeout(() => resolve({ status: 0, ms: 3_000 }), 3_000))
      const [result, health, acks] = await Promise.all([
        answer,
        pollWhile(answer, (a) => request(a, `${server.url}/healthz`, 'GET')),
        pollWhile(answer, (a) =>
          request(a, `${server.url}/v1/traces`, 'POST', probes[nextProbe++ % probes.length]!, PB),
        ),
      ])
      const cpu = mainThreadCpuMs(server.pid) - cpuBefore
      console.log(
        body
          ? `${name} (${(body.length / 1024).toFixed(0)} KB sent): answered ${result.status} in ${fmt(result.ms)}`
          : name,
      )
      console.log(`  /healthz meanwhile:       ${summary(health)}`)
      console.log(`  10-span acks meanwhile:   ${summary(acks)}`)
      console.log(`  server: longest event-loop delay ${fmt(await loopLagMaxMs(server))}, main-thread CPU ${cpu} ms`)
    }
  } finally {
    await server.stop()
    removeDataDir(server.dataDir)
  }
}

await main()
