import { ApiError } from '../http/api-error'
import { contextOf } from '../http/request-context'
import type { Endpoint } from './endpoints'
import { Exchange, statusForFailure, type GatewayParts } from './exchange'
import { authenticate } from '../auth/bearer'
import { reserve, resolveModel } from './guards'
import { holdUnits } from './hold'
import { parseRequest } from './parse-request'
import { readBody } from '../http/read-body'
import { readCapped } from '../http/read-capped'
import { streamAnswer } from './stream-answer'
import { upstreamBody } from './upstream-body'
import { callUpstream, UpstreamFailure } from './upstream-call'
import { clientErrorFor, failureError, readUpstreamError } from './upstream-errors'
import { wholeAnswer } from './whole-answer'

const MAX_ERROR_BYTES = 64 * 1024

/**
 * The one handler behind every proxied endpoint (DESIGN.md "The hot path"): authenticate,
 * read and check the body, find the model, hold the most it can cost, forward, relay, settle.
 */
export function proxyHandler(parts: GatewayParts, endpoint: Endpoint) {
  const { services, metrics } = parts
  const { config } = services

  return async function proxy(request: Request): Promise<Response> {
    const context = contextOf(request)
    let exchange: Exchange | undefined
    let releaseSlot: (() => void) | undefined
    try {
      const key = authenticate(services.keys, request)
      context.accountId = key.accountId
      context.keyId = key.id
      releaseSlot = await parts.limits.admit(key)

      const parsed = parseRequest(endpoint, await readBody(request, config.MAX_BODY_BYTES))
      const model = await resolveModel(services.catalog, endpoint, parsed.model)
      context.model = model.id

      const factors = services.pricing.current()
      const allowance = endpoint.generates ? (parsed.maxTokens ?? config.DEFAULT_MAX_TOKENS) : 0
      const units = holdUnits({
        model,
        bodyBytes: parsed.raw.bytes,
        maxTokens: allowance * parsed.completions,
        factors,
        unknownPriceHoldMmk: config.UNKNOWN_PRICE_HOLD_MMK,
      })
      const hold = reserve(services.ledger, key.accountId, units, endpoint)

      exchange = new Exchange(parts, {
        request,
        context,
        endpoint,
        key,
        model,
        parsed,
        hold,
        factors,
        releaseSlot,
      })
      return await forward(parts, exchange, upstreamBody(endpoint, parsed, allowance))
    } catch (error) {
      const status = error instanceof ApiError ? error.status : 500
      if (exchange) {
        exchange.release('error')
        exchange.finish(status)
      } else {
        releaseSlot?.()
        metrics.requests.inc({ route: endpoint.route, status, model: context.model ?? '' })
      }
      throw error
    }
  }
}

async function forward(parts: GatewayParts, exchange: Exchange, body: string) {
  const { services } = parts
  const { init } = exchange
  let response: Response
  exchange.forwarded()
  try {
    response = await callUpstream({
      target: services.upstream,
      path: init.endpoint.upstreamPath,
      body,
      clientRequest: init.request,
      abort: exchange.abort,
      headersTimeoutMs: services.config.UPSTREAM_HEADERS_TIMEOUT_MS,
    })
  } catch (error) {
    const kind = error instanceof UpstreamFailure ? error.kind : 'network'
    exchange.upstreamError(kind)
    exchange.release(statusForFailure(kind))
    throw failureError(kind)
  }

  exchange.generationId = response.headers.get('x-generation-id')
  if (!response.ok) return refuse(parts, exchange, response)
  const streamed = response.headers.get('content-type')?.includes('text/event-stream')
  if (init.parsed.stream && streamed && response.body)
    return streamAnswer(parts, exchange, response)
  exchange.firstByte()
  return wholeAnswer(parts, exchange, response)
}

/** An upstream error status before any answer: nothing is owed, the hold goes back. */
async function refuse(parts: GatewayParts, exchange: Exchange, response: Response): Promise<never> {
  const read = response.body
    ? await readCapped(response.body, MAX_ERROR_BYTES).catch(() => null)
    : null
  let body: unknown = null
  try {
    body = read ? JSON.parse(read.text) : null
  } catch {
    body = null
  }
  const info = readUpstreamError(response.status, body, response.headers.get('retry-after'))
  exchange.upstreamError('status')
  exchange.release('error')

  if (info.status === 401 || info.status === 402) {
    parts.services.logger.error('upstream_rejected_operator', {
      requestId: exchange.init.context.id,
      status: info.status,
      message: info.message,
    })
  }
  throw clientErrorFor(info)
}
