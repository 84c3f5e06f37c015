/**
 * Per-span cost of the storability gate on the hot path, against the encode it precedes, over the
 * corpus bodies (JSON and protobuf) normalised and priced as the route does.
 *   node --conditions=@sightline/source --import tsx bench/storable-gate.ts
 * "gate": makeStorable without the per-string checks (what almost every body gets); "scan": the
 * per-body pre-check for `\ud…` escapes, spread over the body's spans; "text": makeStorable with the
 * per-string checks (bodies that hold such an escape); "encode": encodeSpanRows, 100-span batches.
 */
import { corpusFileNames, readCorpus } from '@sightline/testkit/corpus'
import { encodeSpanRows } from '../src/ingest/segment-format.js'
import { decodeExportRequest } from '../src/otlp/decode.js'
import { normalizeExportRequest } from '../src/otlp/normalize/index.js'
import { makeStorable, mayHoldLoneSurrogates } from '../src/otlp/normalize/storable.js'
import { priceRows } from '../src/pricing/price-spans.js'

const files = corpusFileNames().filter((f) => !f.endsWith('.gz'))
const bodies = files.map((f) => readCorpus(f))
const perBody = files.map((f, i) => {
  const { rows } = normalizeExportRequest(decodeExportRequest(bodies[i]!, f.endsWith('.pb') ? 'protobuf' : 'json'), {
    projectId: 'bench',
    maxAttributeValueBytes: 1 << 20,
  })
  priceRows(rows)
  return rows
})
const rows = perBody.flat()
const REPEAT = 2000
const all = Array.from({ length: REPEAT }, () => rows).flat()
const batches = Array.from({ length: Math.ceil(all.length / 100) }, (_, i) => all.slice(i * 100, i * 100 + 100))

function time(run: () => void): number {
  const started = process.hrtime.bigint()
  run()
  return Number(process.hrtime.bigint() - started) / all.length
}

for (let round = 1; round <= 5; round++) {
  const gate = time(() => all.forEach((row) => makeStorable(row, false)))
  const scan = time(() => {
    for (let k = 0; k < REPEAT; k++) bodies.forEach((body) => mayHoldLoneSurrogates(body))
  })
  const text = time(() => all.forEach((row) => makeStorable(row, true)))
  const encode = time(() => batches.forEach((batch) => encodeSpanRows(batch)))
  console.log(
    `round ${round}: gate ${gate.toFixed(0)} ns/span, scan ${scan.toFixed(0)} ns/span, ` +
      `text ${text.toFixed(0)} ns/span, encode ${(encode / 1000).toFixed(2)} µs/span`,
  )
}
