import type { Clock } from '../lib/clock'

const WINDOW_MS = 60_000

/**
 * A sliding one-minute window per account, in memory. The assistant runs in one process, and a
 * restart forgetting the last minute only lets a user ask a few questions early.
 */
export class AssistantRateLimiter {
  private readonly recent = new Map<string, number[]>()

  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock,
  ) {}

  /** Counts a request when it fits; otherwise answers how many seconds until one would. */
  take(accountId: string): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
    const now = this.clock.now()
    const times = (this.recent.get(accountId) ?? []).filter((at) => at > now - WINDOW_MS)

    if (times.length >= this.perMinute) {
      this.recent.set(accountId, times)
      const oldest = times[0] ?? now
      return { allowed: false, retryAfterSeconds: Math.ceil((oldest + WINDOW_MS - now) / 1000) }
    }

    times.push(now)
    this.recent.set(accountId, times)
    return { allowed: true }
  }
}
