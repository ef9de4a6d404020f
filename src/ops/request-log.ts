import { Elysia } from 'elysia'
import { beginRequest, contextOf } from '../http/request-context'
import { unitsToMmk } from '../ledger/money'
import type { Logger } from './logger'

/**
 * Gives every request an id (returned in `x-request-id`) and writes one line when it ends:
 * method, route, status, duration and whatever the handlers learned (account, model, charge).
 */
export function requestLog(logger: Logger) {
  return new Elysia({ name: 'request-log' })
    .onRequest(({ request, set }) => {
      const context = beginRequest(request, performance.now())
      set.headers['x-request-id'] = context.id
    })
    .onAfterResponse({ as: 'global' }, ({ request, set, route, responseValue }) => {
      const context = contextOf(request)
      if (context.logWhenDone) return
      const status =
        context.status ?? (responseValue instanceof Response ? responseValue.status : set.status)
      logRequest(logger, request, { route, status: Number(status) })
    })
}

/** The one log line of a request. */
export function logRequest(
  logger: Logger,
  request: Request,
  outcome: { route?: string; status: number },
) {
  const context = contextOf(request)
  logger.info('request', {
    requestId: context.id,
    method: request.method,
    route: outcome.route || new URL(request.url).pathname,
    status: outcome.status,
    durationMs: Math.round((performance.now() - context.startedAt) * 100) / 100,
    accountId: context.accountId,
    keyId: context.keyId,
    model: context.model,
    chargedMmk: context.chargedUnits === undefined ? undefined : unitsToMmk(context.chargedUnits),
  })
}
