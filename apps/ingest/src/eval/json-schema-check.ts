/** JSON Schema checks for outcome evaluators, with zod's own converter (no second validator library). */
import type { JsonSchemaCheck } from '@sightline/core'
import { z } from 'zod'

export const checkJsonSchema: JsonSchemaCheck = (schema, value) => {
  let validator: z.ZodType
  try {
    validator = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0])
  } catch (err) {
    return [`the evaluator's JSON Schema cannot be used: ${(err as Error).message}`]
  }
  const result = validator.safeParse(value)
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
}
