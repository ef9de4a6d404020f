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

interface HookContext {
  request: Request
  server: Pick<Server, 'requestIP'> | null
}

/** Seconds until the client may try again, or undefined when this request may go ahead. */
function addressCounter(options: AddressLimitOptions) {
  const limiter = new RateLimiter({
    limit: options.perMinute,
    windowMs: 60_000,
    maxKeys: options.config.LIMITER_MAX_KEYS,
    clock: options.clock,
  })
  const trusted = options.config.TRUST_FORWARDED_FOR

  return ({ request, server }: HookContext) => {
    const decision = limiter.take(clientAddress(request, server, trusted))
    return decision.allowed ? undefined : decision.retryAfterSeconds
  }
}

/**
 * A route's `beforeHandle` that limits requests per client address with an OpenAI-style 429:
 * `.post('/webhooks/mmpay', handler, { beforeHandle: addressLimit({...}) })`.
 */
export function addressLimit(options: AddressLimitOptions) {
  const count = addressCounter(options)
  return function limitByAddress(context: HookContext): void {
    const seconds = count(context)
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
  const count = addressCounter(options)
  return async function limitPageByAddress(context: HookContext) {
    const seconds = count(context)
    if (seconds === undefined) return

    const answer = await reject(context.request)
    answer.headers.set('retry-after', String(seconds))
    return answer
  }
}
