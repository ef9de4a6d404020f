import type { Clock } from '../lib/clock'

export type LimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number }

export interface RateLimitOptions {
  /** Requests allowed in one window, and the burst allowed at once. */
  limit: number
  windowMs: number
  /**
   * Most keys remembered at once. Past it the least recently seen key is forgotten, which only
   * hands that key a fresh allowance: memory stays bounded however many addresses turn up.
   */
  maxKeys: number
  clock: Clock
}

interface Bucket {
  tokens: number
  at: number
}

/**
 * A token bucket per key (an address, an API key): `limit` tokens, refilled evenly over
 * `windowMs`, so a steady client gets `limit` per window and a burst at most `limit`.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>()
  private readonly perMs: number

  constructor(private readonly options: RateLimitOptions) {
    this.perMs = options.limit / options.windowMs
  }

  /** Spends one token for `key` when one is there; otherwise says when one will be. */
  take(key: string): LimitDecision {
    const now = this.options.clock.now()
    const bucket = this.refilled(key, now)

    if (bucket.tokens < 1) {
      this.remember(key, bucket)
      const waitMs = (1 - bucket.tokens) / this.perMs
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) }
    }

    bucket.tokens -= 1
    this.remember(key, bucket)
    return { allowed: true }
  }

  /** Returns a token that was spent on a request which, as it turned out, needed none. */
  giveBack(key: string) {
    const bucket = this.buckets.get(key)
    if (bucket) bucket.tokens = Math.min(this.options.limit, bucket.tokens + 1)
  }

  /** Keys remembered now; for tests of the memory bound. */
  get size() {
    return this.buckets.size
  }

  private refilled(key: string, now: number): Bucket {
    const known = this.buckets.get(key)
    if (!known) return { tokens: this.options.limit, at: now }
    const elapsed = Math.max(0, now - known.at)
    return { tokens: Math.min(this.options.limit, known.tokens + elapsed * this.perMs), at: now }
  }

  /** Re-inserts the key so the Map's order runs from least to most recently seen. */
  private remember(key: string, bucket: Bucket) {
    this.buckets.delete(key)
    this.buckets.set(key, bucket)
    this.evictStale(bucket.at)
    while (this.buckets.size > this.options.maxKeys) {
      const oldest = this.buckets.keys().next().value as string
      this.buckets.delete(oldest)
    }
  }

  /** A bucket idle for a whole window is full again, the same as no bucket at all. */
  private evictStale(now: number) {
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.at < this.options.windowMs) return
      this.buckets.delete(key)
    }
  }
}

/**
 * Requests running at once per key. A key is forgotten when its last request ends, so memory
 * follows the requests in flight, never the keys ever seen.
 */
export class ConcurrencyLimiter {
  private readonly running = new Map<string, number>()

  constructor(private readonly limit: number) {}

  /** A release function when a slot is free (call it exactly once), else undefined. */
  acquire(key: string): (() => void) | undefined {
    const count = this.running.get(key) ?? 0
    if (count >= this.limit) return undefined

    this.running.set(key, count + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      const left = (this.running.get(key) ?? 1) - 1
      if (left > 0) this.running.set(key, left)
      else this.running.delete(key)
    }
  }

  inFlight(key: string) {
    return this.running.get(key) ?? 0
  }

  get size() {
    return this.running.size
  }
}
