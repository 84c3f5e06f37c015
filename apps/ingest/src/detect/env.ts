import { z } from 'zod'

const DetectionEnvSchema = z.object({
  /** How often the in-process scheduler evaluates; 0 turns it off (tests drive `evaluate(now)`). */
  SIGHTLINE_ANOMALY_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  /** Absolute floor of a cost spike, USD per 5 minutes. */
  SIGHTLINE_ANOMALY_COST_FLOOR_USD: z.coerce.number().nonnegative().default(0.25),
  SIGHTLINE_ALERT_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  SIGHTLINE_ALERT_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
})
export type DetectionEnv = z.infer<typeof DetectionEnvSchema>

/** Parsed once at boot, like env.ts; a bad value stops the server with the reason. */
export function parseDetectionEnv(source: Record<string, string | undefined> = process.env): DetectionEnv {
  const result = DetectionEnvSchema.safeParse(source)
  if (result.success) return result.data
  throw new Error(`Invalid configuration:\n${result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`)
}
