/**
 * Span ids acknowledged recently, to drop an exporter's retry of a batch we already stored. The
 * spans table would collapse the copy (ReplacingMergeTree), but materialised views fire per insert
 * and would count it twice. Two generations of sets give an LRU-like window at O(1) per span:
 * `capacity` keys per generation, so between `capacity` and 2×`capacity` recent spans are
 * remembered (~100 bytes each). Retries come within an exporter's 10 s timeout, far inside that.
 */
export class RecentSpans {
  private current = new Set<string>()
  private previous = new Set<string>()

  constructor(private readonly capacity: number) {}

  has(key: string): boolean {
    return this.current.has(key) || this.previous.has(key)
  }

  /** Records a key; call only once its span is durable, so a duplicate is never acknowledged early. */
  add(key: string): void {
    if (this.current.size >= this.capacity) {
      this.previous = this.current
      this.current = new Set()
    }
    this.current.add(key)
  }
}
