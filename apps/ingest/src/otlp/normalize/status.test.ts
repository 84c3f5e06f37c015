import { describe, expect, it } from 'vitest'
import { extractStatus } from './status.js'
import { makeSpan } from '../../../test/factories/decoded-span.js'

describe('extractStatus', () => {
  it('maps OTLP codes: 1 -> ok, 0 -> unset, 2 -> error with message', () => {
    expect(extractStatus(makeSpan({ status: { code: 1, message: '' } })).status).toBe('ok')
    expect(extractStatus(makeSpan()).status).toBe('unset')
    expect(extractStatus(makeSpan({ status: { code: 2, message: 'boom' } }))).toEqual({
      status: 'error',
      statusMessage: 'boom',
      errorType: '',
    })
  })

  it('treats an exception event as an error even when the status is unset', () => {
    const span = makeSpan({
      events: [
        {
          timeUnixNano: '1',
          name: 'exception',
          attributes: { 'exception.type': 'TypeError', 'exception.message': 'bad' },
        },
      ],
    })
    expect(extractStatus(span)).toEqual({ status: 'error', statusMessage: 'bad', errorType: 'TypeError' })
  })

  it('treats error.type as an error', () => {
    expect(extractStatus(makeSpan({ attributes: { 'error.type': 'tool_error' } }))).toMatchObject({
      status: 'error',
      errorType: 'tool_error',
    })
  })

  it('reads Langfuse level=ERROR with its status message', () => {
    const span = makeSpan({
      attributes: { 'langfuse.observation.level': 'ERROR', 'langfuse.observation.status_message': 'rate limited' },
    })
    expect(extractStatus(span)).toEqual({ status: 'error', statusMessage: 'rate limited', errorType: '' })
  })

  it("ignores the error OpenInference's Vercel processor copies onto AI SDK spans (no exception of their own)", () => {
    const attrs = { 'ai.operationId': 'ai.generateText.doGenerate', 'openinference.span.kind': 'LLM' }
    const copied = makeSpan({ attributes: attrs, status: { code: 2, message: 'weather service returned 503' } })
    expect(extractStatus(copied)).toEqual({ status: 'unset', statusMessage: '', errorType: '' })
    const exception = {
      timeUnixNano: '1',
      name: 'exception',
      attributes: { 'exception.message': 'weather service returned 503' },
    }
    const own = makeSpan({
      attributes: { ...attrs, 'ai.operationId': 'ai.toolCall' },
      status: { code: 2, message: 'weather service returned 503' },
      events: [exception],
    })
    expect(extractStatus(own).status).toBe('error')
    const finishedInError = makeSpan({
      attributes: { ...attrs, 'ai.response.finishReason': 'error' },
      status: { code: 2, message: 'x' },
    })
    expect(extractStatus(finishedInError).status).toBe('error')
    // Plain AI SDK or plain OpenInference spans keep their status as sent.
    expect(
      extractStatus(makeSpan({ attributes: { 'ai.operationId': 'ai.toolCall' }, status: { code: 2, message: 'x' } }))
        .status,
    ).toBe('error')
    expect(
      extractStatus(makeSpan({ attributes: { 'openinference.span.kind': 'TOOL' }, status: { code: 2, message: 'x' } }))
        .status,
    ).toBe('error')
  })
})
