/**
 * `pnpm --filter @sightline/contract-tests dump <framework> [--full]`: prints a fixture's spans as
 * a tree (name, OTLP kind, status, attributes; values cut at 160 characters unless --full), decoded
 * by the server's own OTLP decoder. For reading what a framework really sends.
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { decodeExportRequest } from '@sightline/ingest/testing/otlp-decode'
import { GroundTruthSchema } from '../ground-truth.js'

interface Row {
  id: string
  parent: string
  text: string
  start: bigint
}

const [framework, flag] = process.argv.slice(2)
if (!framework) throw new Error('usage: dump <framework> [--full]')
const dir = path.resolve(import.meta.dirname, '../../fixtures', framework)
const truth = GroundTruthSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, 'ground-truth.json'), 'utf8')))
const cut = (text: string) => (flag === '--full' || text.length <= 160 ? text : `${text.slice(0, 160)}…`)
const rows: Row[] = []
for (const request of truth.requests) {
  const raw = fs.readFileSync(path.join(dir, request.file))
  const body = request.contentEncoding === 'gzip' ? zlib.gunzipSync(raw) : raw
  const decoded = decodeExportRequest(body, request.contentType.startsWith('application/json') ? 'json' : 'protobuf')
  for (const resource of decoded.resourceSpans) {
    for (const scope of resource.scopeSpans) {
      for (const span of scope.spans) {
        const attrs = Object.entries(span.attributes).map(
          ([k, v]) => `    ${k} = ${cut(typeof v === 'string' ? v : JSON.stringify(v))}`,
        )
        const status = span.status.code === 2 ? `ERROR ${span.status.message}` : ['UNSET', 'OK'][span.status.code]
        const events = span.events.map((e) => `    [event] ${e.name} ${cut(JSON.stringify(e.attributes))}`)
        rows.push({
          id: span.spanId,
          parent: span.parentSpanId,
          start: BigInt(span.startTimeUnixNano),
          text: [
            `${span.name}  (kind ${span.kind}, ${status}, scope ${scope.scope.name}, ${request.file})`,
            ...attrs,
            ...events,
          ].join('\n'),
        })
      }
    }
  }
}
const children = new Map<string, Row[]>()
const ids = new Set(rows.map((r) => r.id))
for (const row of rows) {
  const key = ids.has(row.parent) ? row.parent : ''
  children.set(key, [...(children.get(key) ?? []), row])
}
const print = (parent: string, depth: number): void => {
  for (const row of (children.get(parent) ?? []).sort((a, b) => (a.start < b.start ? -1 : 1))) {
    console.log(row.text.replace(/^/gm, '  '.repeat(depth)))
    print(row.id, depth + 1)
  }
}
print('', 0)
