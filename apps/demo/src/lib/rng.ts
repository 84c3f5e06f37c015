/**
 * Seeded randomness (house style §9: mulberry32). Every task derives its own generator from the run
 * seed and the task's id, so a run replays identically however requests interleave across processes.
 */

export type Rng = () => number

/** mulberry32: 32-bit state, uniform in [0, 1). */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** FNV-1a: turns ids and names into seeds. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** A generator for one purpose of one task: same inputs, same draws. */
export function rngFor(...parts: Array<string | number>): Rng {
  return mulberry32(hashString(parts.join('\u0000')))
}

/** Standard normal (Box-Muller). */
function normal(rng: Rng): number {
  const u = Math.max(rng(), 1e-12)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng())
}

/** Lognormal with the given median: LLM and tool latencies have this long right tail. */
export function lognormal(rng: Rng, median: number, sigma: number): number {
  return median * Math.exp(sigma * normal(rng))
}

export function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1))
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)]
  if (item === undefined) throw new Error('pick() from an empty list')
  return item
}

/** Picks a key with probability proportional to its weight. */
export function weighted<K extends string>(rng: Rng, weights: Readonly<Record<K, number>>): K {
  const entries = Object.entries(weights) as Array<[K, number]>
  const total = entries.reduce((sum, [, w]) => sum + w, 0)
  let draw = rng() * total
  for (const [key, weight] of entries) {
    draw -= weight
    if (draw < 0) return key
  }
  return entries[entries.length - 1]![0]
}
