import zlib from 'node:zlib'
const { decodeExportRequest } = await import('../src/otlp/decode.js')
const { normalizeExportRequest } = await import('../src/otlp/normalize/index.js')
const { generateRequests, encodeProtobuf, encodeJsonGzip } = await import('./generator.js')
const now = Date.now()
const pb: Buffer[] = [], js: Buffer[] = []
let spans = 0
for (const g of generateRequests({ seed: 7, spans: 30000, spansPerRequest: 100, windowStartMs: now - 5 * 86400000, windowEndMs: now })) {
  pb.push(encodeProtobuf(g.request)); js.push(encodeJsonGzip(g.request)); spans += g.spanCount
}
const raw = js.map((b) => zlib.gunzipSync(b))
function time(label: string, fn: () => void) {
  for (let r = 0; r < 2; r++) fn()
  const t = performance.now(); for (let r = 0; r < 3; r++) fn()
  console.log(label.padEnd(30), ((performance.now() - t) * 1000 / 3 / spans).toFixed(2), 'µs/span')
}
time('gunzip', () => js.forEach((b) => zlib.gunzipSync(b)))
time('decode json', () => raw.forEach((b) => decodeExportRequest(b, 'json')))
time('JSON.parse only', () => raw.forEach((b) => JSON.parse(b.toString())))
time('decode pb', () => pb.forEach((b) => decodeExportRequest(b, 'protobuf')))
const d = pb.map((b) => decodeExportRequest(b, 'protobuf'))
time('normalize', () => d.forEach((x) => normalizeExportRequest(x, { projectId: 'default', maxAttributeValueBytes: 1 << 20 })))
