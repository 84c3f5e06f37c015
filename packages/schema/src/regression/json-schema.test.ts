import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { RegressionCaseSchema } from './case.js'
import { regressionCaseJsonSchema } from './json-schema.js'
import { proposeCase } from './propose.js'
import { loopTrace } from '../../test/regression-spans.js'

const FILE = new URL('../../regression-case.schema.json', import.meta.url)

describe('Regression Case v1 format', () => {
  it('round-trips through JSON', () => {
    const { case: rc } = proposeCase(loopTrace(4, { fail: true }), { now: '2026-01-02T00:00:00.000Z' })
    expect(RegressionCaseSchema.parse(JSON.parse(JSON.stringify(rc)))).toEqual(rc)
  })

  it('rejects an unknown schema version and an assertion-free case', () => {
    const { case: rc } = proposeCase(loopTrace(4), { now: '2026-01-02T00:00:00.000Z' })
    expect(RegressionCaseSchema.safeParse({ ...rc, schemaVersion: '2' }).success).toBe(false)
    expect(RegressionCaseSchema.safeParse({ ...rc, assertions: [] }).success).toBe(false)
  })

  // Regenerate with: UPDATE_JSON_SCHEMA=1 pnpm exec vitest run packages/schema/src/regression/json-schema.test.ts
  it('the committed JSON Schema file is generated from the zod schema', () => {
    const text = `${JSON.stringify(regressionCaseJsonSchema(), null, 2)}\n`
    if (process.env.UPDATE_JSON_SCHEMA === '1') fs.writeFileSync(FILE, text)
    expect(fs.readFileSync(FILE, 'utf8')).toBe(text)
  })
})
