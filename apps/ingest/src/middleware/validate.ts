import type { z } from 'zod'
import { badRequest } from '../errors.js'

/** Parses input with a contract schema; failures become a 400 that names each bad field. */
export function parseOr400<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || what}: ${issue.message}`)
  throw badRequest(`Invalid ${what}: ${problems.join('; ')}`)
}
