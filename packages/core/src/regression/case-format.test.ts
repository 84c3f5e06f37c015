import { describe, expect, it } from 'vitest'
import { RegressionCaseSchema } from '@sightline/schema'
import { proposeCase } from './propose.js'
import { loopTrace } from '../../test/regression-spans.js'

describe('Regression Case v1 format, as proposed from a trace', () => {
  it('round-trips through JSON', () => {
    const { case: rc } = proposeCase(loopTrace(4, { fail: true }), { now: '2026-01-02T00:00:00.000Z' })
    expect(RegressionCaseSchema.parse(JSON.parse(JSON.stringify(rc)))).toEqual(rc)
  })

  it('rejects an unknown schema version and an assertion-free case', () => {
    const { case: rc } = proposeCase(loopTrace(4), { now: '2026-01-02T00:00:00.000Z' })
    expect(RegressionCaseSchema.safeParse({ ...rc, schemaVersion: '2' }).success).toBe(false)
    expect(RegressionCaseSchema.safeParse({ ...rc, assertions: [] }).success).toBe(false)
  })
})
