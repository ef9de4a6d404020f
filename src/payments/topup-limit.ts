import type { Config } from '../config'
import { addressAllowance, type AddressContext } from '../http/address-limit'
import { tooManyRequests } from '../http/api-error'
import type { Clock } from '../lib/clock'
import type { Admission } from './topups'

/** Hands out the admission for one request; an order is counted only once it is known new. */
export type TopupLimit = (context: AddressContext) => Admission

/**
 * New top-up orders per client address, one allowance for the API and the portal together:
 * the limit is on orders, whichever door they come through.
 */
export function topupLimit(config: Config, clock: Clock): TopupLimit {
  const perMinute = config.TOPUPS_PER_MINUTE_PER_ADDRESS
  const allowance = addressAllowance({ perMinute, config, clock })
  return (context) => ({
    admit() {
      const seconds = allowance.take(context)
      if (seconds !== undefined) {
        throw tooManyRequests('Too many top-up orders; try again later.', seconds)
      }
    },
    release: () => allowance.giveBack(context),
  })
}
