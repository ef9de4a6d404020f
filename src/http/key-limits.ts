import type { ActiveKey } from '../auth/key-index'
// Caps count days and months in Myanmar time, as the gateway's spend does.
import { MYANMAR_OFFSET_MS } from '../gateway/spend'
import type { Clock } from '../lib/clock'
import { unitsToMmk } from '../ledger/money'
import { ApiError, tooManyRequests } from './api-error'
import { ConcurrencyLimiter, RateLimiter } from './rate-limit'

const DAY_MS = 86_400_000

/** What a key has spent today and this month, in ledger units. */
export interface SpendSource {
  of(
    accountId: string,
    keyId: string,
    now: number,
  ): Promise<{ todayUnits: number; monthUnits: number }>
}

export interface KeyLimitOptions {
  requestsPerMinute: number
  concurrentRequests: number
  maxKeys: number
  clock: Clock
  spend: SpendSource
}

type LimitedKey = Pick<ActiveKey, 'id' | 'accountId' | 'dailyCapUnits' | 'monthlyCapUnits'>

/**
 * The per-key abuse limits of the gateway: requests per minute, requests at once, and the
 * optional daily and monthly spend caps. A request starts only while the key's spend is
 * below its cap; requests already running may finish, so spend can pass a cap by what those
 * few cost, never by more.
 */
export class KeyLimits {
  private readonly rate: RateLimiter
  private readonly running: ConcurrencyLimiter

  constructor(private readonly options: KeyLimitOptions) {
    this.rate = new RateLimiter({
      limit: options.requestsPerMinute,
      windowMs: 60_000,
      maxKeys: options.maxKeys,
      clock: options.clock,
    })
    this.running = new ConcurrencyLimiter(options.concurrentRequests)
  }

  /** Admits a request of `key` or throws a 429; the answer frees its slot (call it once). */
  async admit(key: LimitedKey): Promise<() => void> {
    const decision = this.rate.take(key.id)
    if (!decision.allowed) {
      const perMinute = this.options.requestsPerMinute
      const message = `This API key is limited to ${perMinute} requests per minute.`
      throw tooManyRequests(message, decision.retryAfterSeconds)
    }
    await this.checkCaps(key)

    const release = this.running.acquire(key.id)
    if (!release) {
      const atOnce = this.options.concurrentRequests
      const message = `This API key may run at most ${atOnce} requests at once.`
      throw tooManyRequests(message, 1)
    }
    return release
  }

  inFlight(keyId: string) {
    return this.running.inFlight(keyId)
  }

  private async checkCaps(key: LimitedKey) {
    if (key.dailyCapUnits === null && key.monthlyCapUnits === null) return
    const now = this.options.clock.now()
    const spent = await this.options.spend.of(key.accountId, key.id, now)

    if (key.dailyCapUnits !== null && spent.todayUnits >= key.dailyCapUnits) {
      throw capReached('daily', key.dailyCapUnits, nextDayStart(now) - now)
    }
    if (key.monthlyCapUnits !== null && spent.monthUnits >= key.monthlyCapUnits) {
      throw capReached('monthly', key.monthlyCapUnits, nextMonthStart(now) - now)
    }
  }
}

function capReached(period: 'daily' | 'monthly', capUnits: number, waitMs: number) {
  const message =
    `This API key reached its ${period} spend cap of ${unitsToMmk(capUnits)} MMK. ` +
    `Raise the cap or wait until it resets (Myanmar time).`
  // Retrying within seconds cannot help, so OpenAI's SDKs are told not to.
  return new ApiError(429, 'rate_limit_error', 'spend_cap_reached', message, null, {
    'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))),
    'x-should-retry': 'false',
  })
}

export function nextDayStart(now: number) {
  return (Math.floor((now + MYANMAR_OFFSET_MS) / DAY_MS) + 1) * DAY_MS - MYANMAR_OFFSET_MS
}

export function nextMonthStart(now: number) {
  const local = new Date(now + MYANMAR_OFFSET_MS)
  return Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) - MYANMAR_OFFSET_MS
}
