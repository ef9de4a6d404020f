import type { Server } from 'elysia/universal'
import type { Config } from '../config'
import type { Clock } from '../lib/clock'
import { tooManyRequests } from './api-error'
import { clientAddress } from './client-address'
import { RateLimiter } from './rate-limit'

export interface AddressLimitOptions {
  /** What is limited, for the error message: "sign-in attempts". */
  what: string
  perMinute: number
  config: Pick<Config, 'TRUST_FORWARDED_FOR' | 'LIMITER_MAX_KEYS'>
  clock: Clock
}

/** What a route's hooks and handlers know of the client: enough to find its address. */
export interface AddressContext {
  request: Request
  server: Pick<Server, 'requestIP'> | null
}

/** A per-address allowance that a route spends where it decides, not on every request. */
export interface AddressAllowance {
  /** Seconds until the client may try again, or undefined when this request may go ahead. */
  take(context: AddressContext): number | undefined
  /** Hands back what `take` spent on a request that, as it turned out, needed none. */
  giveBack(context: AddressContext): void
}

export function addressAllowance(options: Omit<AddressLimitOptions, 'what'>): AddressAllowance {
  const limiter = new RateLimiter({
    limit: options.perMinute,
    windowMs: 60_000,
    maxKeys: options.config.LIMITER_MAX_KEYS,
    clock: options.clock,
  })
  const trusted = options.config.TRUST_FORWARDED_FOR
  const addressOf = (context: AddressContext) =>
    clientAddress(context.request, context.server, trusted)

  return {
    take(context) {
      const decision = limiter.take(addressOf(context))
      return decision.allowed ? undefined : decision.retryAfterSeconds
    },
    giveBack: (context) => limiter.giveBack(addressOf(context)),
  }
}

/**
 * A route's `beforeHandle` that limits requests per client address with an OpenAI-style 429:
 * `.post('/webhooks/mmpay', handler, { beforeHandle: addressLimit({...}) })`.
 */
export function addressLimit(options: AddressLimitOptions) {
  const allowance = addressAllowance(options)
  return function limitByAddress(context: AddressContext): void {
    const seconds = allowance.take(context)
    if (seconds !== undefined) {
      throw tooManyRequests(`Too many ${options.what}; try again later.`, seconds)
    }
  }
}

/** The same for HTML routes: `reject` renders the answer, which gets Retry-After. */
export function addressLimitPage(
  options: AddressLimitOptions,
  reject: (request: Request) => Response | Promise<Response>,
) {
  const allowance = addressAllowance(options)
  return async function limitPageByAddress(context: AddressContext) {
    const seconds = allowance.take(context)
    if (seconds === undefined) return

    const answer = await reject(context.request)
    answer.headers.set('retry-after', String(seconds))
    return answer
  }
}
