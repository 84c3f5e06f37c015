/**
 * Span ids acknowledged recently, to drop an exporter's retry of a batch we already stored. The
 * spans table would collapse the copy (ReplacingMergeTree), but materialised views fire per insert
 * and would count it twice. Two generations give an LRU-like window at O(1) per span: `capacity`
 * keys per generation, so between `capacity` and 2×`capacity` recent spans are remembered.
 * Retries come within an exporter's 10 s timeout, far inside that.
 *
 * Keys are kept as 64-bit hashes in typed-array tables, not as strings in Sets: 400k live strings
 * in the old generation made the collector's pauses long enough to show in acknowledgement latency,
 * and a table costs it nothing (8 bytes a slot, 4 MiB a generation at the writer's 200k). Two keys
 * share a hash with probability about n²/2⁶⁵, 4·10⁻⁹ for a full window: such a span would be taken
 * for a retry.
 */
export class RecentSpans {
  private current: HashTable
  private previous: HashTable

  constructor(private readonly capacity: number) {
    this.current = new HashTable(capacity)
    this.previous = new HashTable(capacity)
  }

  has(key: string): boolean {
    const [hi, lo] = hash64(key)
    return this.current.has(hi, lo) || this.previous.has(hi, lo)
  }

  /** Records a key; call only once its span is durable, so a duplicate is never acknowledged early. */
  add(key: string): void {
    const [hi, lo] = hash64(key)
    if (this.current.has(hi, lo)) return
    if (this.current.size >= this.capacity) {
      const recycled = this.previous
      recycled.clear()
      this.previous = this.current
      this.current = recycled
    }
    this.current.add(hi, lo)
  }
}

/** Open addressing with linear probing over (hi, lo) pairs; (0, 0) marks an empty slot. */
class HashTable {
  private readonly slots: Uint32Array
  private readonly mask: number
  size = 0

  constructor(capacity: number) {
    // At most half full, so probes stay short.
    let slots = 16
    while (slots < capacity * 2) slots *= 2
    this.slots = new Uint32Array(slots * 2)
    this.mask = slots - 1
  }

  has(hi: number, lo: number): boolean {
    for (let i = lo & this.mask; ; i = (i + 1) & this.mask) {
      const h = this.slots[2 * i]!
      const l = this.slots[2 * i + 1]!
      if (h === hi && l === lo) return true
      if (h === 0 && l === 0) return false
    }
  }

  add(hi: number, lo: number): void {
    let i = lo & this.mask
    while (this.slots[2 * i] !== 0 || this.slots[2 * i + 1] !== 0) i = (i + 1) & this.mask
    this.slots[2 * i] = hi
    this.slots[2 * i + 1] = lo
    this.size++
  }

  clear(): void {
    this.slots.fill(0)
    this.size = 0
  }
}

/**
 * Two independent 32-bit hashes of the UTF-16 code units (FNV-1a and a murmur-style mix, each
 * finished with murmur3's avalanche), never (0, 0).
 */
export function hash64(key: string): [number, number] {
  let a = 0x811c9dc5
  let b = 0x9747b28c ^ key.length
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
    b ^= b >>> 15
  }
  const hi = fmix32(a) >>> 0
  const lo = fmix32(b ^ 0x27d4eb2f) >>> 0
  return hi === 0 && lo === 0 ? [0, 1] : [hi, lo]
}

function fmix32(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}
