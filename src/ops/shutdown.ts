import { stopServices, type Services } from '../services'

/** Bun's server, as far as shutdown needs it. */
export interface StoppableServer {
  stop(closeActiveConnections?: boolean): Promise<void>
}

/** How long aborted work may take to settle its hold before shutdown moves on. */
export const SETTLE_AFTER_ABORT_MS = 5_000

/**
 * Stops the process's work in order: stop accepting connections, let work in flight finish
 * within SHUTDOWN_GRACE_MS, abort the rest and give it time to settle its holds, release any
 * hold still open, then stop background jobs, write everything pending and close the database.
 */
export async function shutdown(server: StoppableServer | null | undefined, services: Services) {
  const { config, logger, inFlight, ledger } = services
  logger.info('shutdown_started', { inFlight: inFlight.count, graceMs: config.SHUTDOWN_GRACE_MS })

  // Not awaited: Bun resolves it only when every open request has ended.
  void server?.stop(false)
  const drained = await inFlight.drain(config.SHUTDOWN_GRACE_MS, SETTLE_AFTER_ABORT_MS)
  await server?.stop(true)

  const leftover = ledger.openHolds()
  for (const hold of leftover) ledger.release(hold.id)
  if (leftover.length > 0 || drained.unsettled > 0) {
    logger.warn('shutdown_released_holds', { holds: leftover.length, unsettled: drained.unsettled })
  }

  await stopServices(services)
  await services.db.close()
  logger.info('shutdown_complete', drained)
}
