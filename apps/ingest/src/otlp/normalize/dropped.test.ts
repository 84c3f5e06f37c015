import { describe, expect, it } from 'vitest'
import { corpusFileNames, readCorpusBody } from '@sightline/testkit/corpus'
import { makeRequest, makeSpan } from '../../../test/factories/decoded-span.js'
import { decodeExportRequest, DEFAULT_DECODE_LIMITS } from '../decode.js'
import { normalizeExportRequest } from './index.js'

const OPTS = { projectId: 'p1', maxAttributeValueBytes: 1 << 20 }

describe('what a span lost is stored where readers see it', () => {
  it('writes sightline.dropped.* attributes and the limits_applied flag', () => {
    const span = makeSpan({
      attributes: { a: 1 },
      dropped: { attributes: 3, events: 872, links: 0, limitsApplied: true },
    })
    const [row] = normalizeExportRequest(makeRequest([span]), OPTS).rows
    expect(row!.attributes).toEqual({ a: '1', 'sightline.dropped.attributes': '3', 'sightline.dropped.events': '872' })
    expect(row!.flags).toContain('limits_applied')
  })

  it("records the sender's own drops without the flag", () => {
    const span = makeSpan({ dropped: { attributes: 0, events: 0, links: 2, limitsApplied: false } })
    const [row] = normalizeExportRequest(makeRequest([span]), OPTS).rows
    expect(row!.attributes).toEqual({ 'sightline.dropped.links': '2' })
    expect(row!.flags).not.toContain('limits_applied')
  })

  it('writes nothing for a span that lost nothing', () => {
    const [row] = normalizeExportRequest(makeRequest([makeSpan({ attributes: { a: 1 } })]), OPTS).rows
    expect(row!.attributes).toEqual({ a: '1' })
    expect(row!.flags).not.toContain('limits_applied')
  })

  it("counts the resource's dropped attributes on resource_attributes", () => {
    const request = makeRequest([makeSpan(), makeSpan({ spanId: 'eee19b7ec3c1b175' })])
    request.resourceSpans[0]!.droppedResourceAttributes = 7
    const rows = normalizeExportRequest(request, OPTS).rows
    expect(rows.map((row) => row.resource_attributes['sightline.dropped.attributes'])).toEqual(['7', '7'])
    expect(rows[0]!.resource_attributes['service.name']).toBe('svc')
  })
})

describe('the default limits keep every attribute, event and link of the captured corpus', () => {
  const files = corpusFileNames()
  const unlimited = { maxEventsPerSpan: Infinity, maxLinksPerSpan: Infinity, maxAttributesPerSpan: Infinity }

  it.each(files)('%s', (file) => {
    const { body, encoding } = readCorpusBody(file)
    const limited = decodeExportRequest(body, encoding, DEFAULT_DECODE_LIMITS)
    expect(limited).toEqual(decodeExportRequest(body, encoding, unlimited))
    const rows = normalizeExportRequest(limited, OPTS).rows
    expect(rows.filter((row) => row.flags.includes('limits_applied'))).toEqual([])
  })
})
