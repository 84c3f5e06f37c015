/**
 * A Map bounded to `maxEntries`, evicting the least recently used entry one at a time. Unlike
 * clearing a full cache wholesale, a flood of new keys only pushes out the oldest entries of the
 * same cache, never everything at once.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>()

  constructor(private readonly maxEntries: number) {}

  get size(): number {
    return this.entries.size
  }

  /** Reading an entry makes it the most recently used. */
  get(key: K): V | undefined {
    const value = this.entries.get(key)
    if (value === undefined) return undefined
    this.entries.delete(key)
    this.entries.set(key, value)
    return value
  }

  set(key: K, value: V): void {
    this.entries.delete(key)
    this.entries.set(key, value)
    // A Map iterates in insertion order, so its first key is the least recently used.
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as K)
  }

  delete(key: K): void {
    this.entries.delete(key)
  }

  clear(): void {
    this.entries.clear()
  }
}
