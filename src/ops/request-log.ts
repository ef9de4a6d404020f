import { Elysia } from 'elysia'
import { beginRequest, contextOf } from '../http/request-context'
import { unitsToMmk } from '../ledger/money'
import { httpMetrics, recordRequest, type HttpMetrics } from './http-metrics'
import type { Logger } from './logger'
import type { MetricsRegistry } from './metrics'

// Streamed answers write their line later through `logRequest`, which has only the request.
const metricsOf = new WeakMap<Request, HttpMetrics>()

/**
 * Gives every request an id (returned in `x-request-id`) and writes one line when it ends:
 * method, route, status, duration and whatever the handlers learned (account, model, charge).
 * With a registry it also counts the request there.
 */
export function requestLog(logger: Logger, registry?: MetricsRegistry) {
  const metrics = registry && httpMetrics(registry)
  return new Elysia({ name: 'request-log' })
    .onRequest(function startRequest({ request }) {
      beginRequest(request, performance.now())
      if (metrics) metricsOf.set(request, metrics)
    })
    .onAfterHandle({ as: 'global' }, function tagAnswer({ request, responseValue, set }) {
      // Once Elysia's `set.headers` holds anything, it copies every Response a handler returns
      // into a new one with merged headers, turning a text body into a stream: too dear for
      // the proxy. A returned Response gets the id on its own headers instead.
      const id = contextOf(request).id
      if (responseValue instanceof Response) responseValue.headers.set('x-request-id', id)
      else set.headers['x-request-id'] = id
    })
    .onAfterResponse({ as: 'global' }, function endRequest({ request, set, route, responseValue }) {
      const context = contextOf(request)
      if (context.logWhenDone) return
      const status =
        context.status ?? (responseValue instanceof Response ? responseValue.status : set.status)
      logRequest(logger, request, { route, status: Number(status) })
    })
}

/** The one log line of a request, and its count in the metrics. */
export function logRequest(
  logger: Logger,
  request: Request,
  outcome: { route?: string; status: number },
) {
  const context = contextOf(request)
  const durationMs = Math.round((performance.now() - context.startedAt) * 100) / 100
  const chargedMmk =
    context.chargedUnits === undefined ? undefined : unitsToMmk(context.chargedUnits)
  const fields = {
    requestId: context.id,
    method: request.method,
    route: outcome.route || new URL(request.url).pathname,
    status: outcome.status,
    durationMs,
    accountId: context.accountId,
    keyId: context.keyId,
    model: context.model,
    chargedMmk,
    generationId: context.generationId,
  }
  if (outcome.status >= 500) logger.warn('request', fields)
  else logger.info('request', fields)

  const metrics = metricsOf.get(request)
  if (!metrics) return
  // Unmatched paths are anyone's choice; one label keeps the series count bounded.
  const route = outcome.route || 'unmatched'
  recordRequest(metrics, { ...fields, route })
}
