import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { regressionCaseJsonSchema } from './json-schema.js'

const FILE = new URL('../../regression-case.schema.json', import.meta.url)

describe('Regression Case v1 JSON Schema', () => {
  // Regenerate with: UPDATE_JSON_SCHEMA=1 pnpm exec vitest run packages/schema/src/regression/json-schema.test.ts
  it('the committed JSON Schema file is generated from the zod schema', () => {
    const text = `${JSON.stringify(regressionCaseJsonSchema(), null, 2)}\n`
    if (process.env.UPDATE_JSON_SCHEMA === '1') fs.writeFileSync(FILE, text)
    expect(fs.readFileSync(FILE, 'utf8')).toBe(text)
  })
})
