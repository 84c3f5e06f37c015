/**
 * Deterministic OTLP ids: sha256 of a stable seed (source + file base name + run/step index), so
 * importing the same file twice yields the same trace and span ids and the server dedups.
 */
import { createHash } from 'node:crypto'

function hexOf(seed: string, length: number): string {
  const hex = createHash('sha256').update(seed).digest('hex').slice(0, length)
  // All-zero ids are invalid in OTLP; a sha256 prefix of zeros is astronomically unlikely, but cheap to rule out.
  return /^0+$/.test(hex) ? `${hex.slice(0, -1)}1` : hex
}

export const traceIdFor = (seed: string): string => hexOf(`trace:${seed}`, 32)
export const spanIdFor = (traceId: string, key: string): string => hexOf(`span:${traceId}:${key}`, 16)
