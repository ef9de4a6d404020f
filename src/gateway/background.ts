import type { Exchange, GatewayParts, UsageStatus } from './exchange'

/**
 * Settles an exchange after its answer has gone (a generation lookup can take seconds). The
 * work is registered with the in-flight tracker, so shutdown waits for it or cuts it short,
 * in which case it settles from its estimate.
 */
export function settleInBackground(parts: GatewayParts, exchange: Exchange, status: UsageStatus) {
  const work = parts.services.inFlight.begin()
  return exchange
    .settleLate(status, work.signal)
    .catch((error) => parts.services.logger.error('gateway_settle_failed', { error }))
    .finally(() => work.done())
}
