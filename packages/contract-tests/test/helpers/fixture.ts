/** Loads a captured fixture and replays its request bodies, byte for byte, into a server. */
import fs from 'node:fs'
import path from 'node:path'
import type { TestServer } from '@sightline/ingest/testing'
import { GroundTruthSchema, type GroundTruth } from '../../src/ground-truth.js'

const fixturesDir = path.resolve(import.meta.dirname, '../../fixtures')

export interface Fixture {
  truth: GroundTruth
  bodies: { file: string; contentType: string; contentEncoding: string; body: Buffer }[]
}

export function loadFixture(framework: string): Fixture {
  const dir = path.join(fixturesDir, framework)
  const truth = GroundTruthSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, 'ground-truth.json'), 'utf8')))
  const bodies = truth.requests.map((request) => {
    const body = fs.readFileSync(path.join(dir, request.file))
    if (body.length !== request.bytes)
      throw new Error(`${framework}/${request.file}: ${body.length} bytes, ground truth says ${request.bytes}`)
    return { ...request, body }
  })
  return { truth, bodies }
}

/** POSTs every body in capture order with the headers the exporter sent; each must be accepted. */
export async function replayFixture(server: TestServer, fixture: Fixture): Promise<void> {
  for (const { file, contentType, contentEncoding, body } of fixture.bodies) {
    const res = await fetch(`${server.url}/v1/traces`, {
      method: 'POST',
      headers: {
        ...server.authHeaders,
        'content-type': contentType,
        ...(contentEncoding ? { 'content-encoding': contentEncoding } : {}),
      },
      body: new Uint8Array(body),
    })
    if (res.status !== 200) throw new Error(`${file}: POST /v1/traces answered ${res.status}: ${await res.text()}`)
  }
  await server.drain()
}
