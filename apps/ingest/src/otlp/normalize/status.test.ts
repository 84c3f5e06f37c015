import { describe, expect, it } from 'vitest'
import { extractStatus } from './status.js'
import { makeSpan } from '../../../test/factories/decoded-span.js'

describe('extractStatus', () => {
  it('maps OTLP codes: 1 -> ok, 0 -> unset, 2 -> error with message', () => {
    expect(extractStatus(makeSpan({ status: { code: 1, message: '' } })).status).toBe('ok')
    expect(extractStatus(makeSpan()).status).toBe('unset')
    expect(extractStatus(makeSpan({ status: { code: 2, message: 'boom' } }))).toEqual({ status: 'error', statusMessage: 'boom', errorType: '' })
  })

  it('treats an exception event as an error even when the status is unset', () => {
    const span = makeSpan({
      events: [{ timeUnixNano: '1', name: 'exception', attributes: { 'exception.type': 'TypeError', 'exception.message': 'bad' } }],
    })
    expect(extractStatus(span)).toEqual({ status: 'error', statusMessage: 'bad', errorType: 'TypeError' })
  })

  it('treats error.type as an error', () => {
    expect(extractStatus(makeSpan({ attributes: { 'error.type': 'tool_error' } }))).toMatchObject({ status: 'error', errorType: 'tool_error' })
  })

  it('reads Langfuse level=ERROR with its status message', () => {
    const span = makeSpan({ attributes: { 'langfuse.observation.level': 'ERROR', 'langfuse.observation.status_message': 'rate limited' } })
    expect(extractStatus(span)).toEqual({ status: 'error', statusMessage: 'rate limited', errorType: '' })
  })
})
