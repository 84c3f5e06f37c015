/**
 * @module regression/json-schema
 * The published JSON Schema of Regression Case v1 (`packages/schema/regression-case.schema.json`),
 * generated from the zod schema so the two cannot drift (json-schema.test.ts checks the file).
 */
import { z } from 'zod'
import { RegressionCaseSchema } from './case.js'

export const REGRESSION_CASE_SCHEMA_ID = 'https://sightline.dev/schemas/regression-case/v1.json'

export function regressionCaseJsonSchema(): Record<string, unknown> {
  // io: 'input' documents what a file may omit (fields with defaults are optional in a file).
  const schema = z.toJSONSchema(RegressionCaseSchema, { io: 'input', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >
  return { ...schema, $id: REGRESSION_CASE_SCHEMA_ID, title: 'Sightline Regression Case v1' }
}
