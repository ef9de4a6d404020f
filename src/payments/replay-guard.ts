/**
 * Remembers the (nonce, signature) pairs of callbacks already handled, so an exact replay is
 * answered without touching the database. Correctness never depends on it: handling is
 * idempotent, and a pair is only remembered once handling succeeded.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>()

  constructor(
    private readonly windowMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  has(nonce: string, signature: string, now: number) {
    const at = this.seen.get(`${nonce}:${signature}`)
    return at !== undefined && now - at <= this.windowMs
  }

  remember(nonce: string, signature: string, now: number) {
    if (this.seen.size >= this.maxEntries) this.prune(now)
    this.seen.set(`${nonce}:${signature}`, now)
  }

  private prune(now: number) {
    for (const [key, at] of this.seen) {
      if (now - at > this.windowMs || this.seen.size >= this.maxEntries) this.seen.delete(key)
    }
  }
}
