/** `ratePerSecond` on average, bursts up to `burst`: how often something costly may happen. */
export class TokenBucket {
  private tokens: number
  private updatedAt: number

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now = Date.now(),
  ) {
    this.tokens = burst
    this.updatedAt = now
  }

  /** Spends one token if there is one. */
  take(now = Date.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSecond)
    this.updatedAt = now
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }
}
