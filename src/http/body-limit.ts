import { Elysia } from 'elysia'
import type { Config } from '../config'
import { ApiError, bodyTooLarge } from './api-error'
import { pathStart } from './url-path'

/**
 * Routes that read a body as it arrives and count it (`readCapped`): the gateway's proxied
 * endpoints and the payment callbacks. Every other route has Elysia parse the body whole.
 */
const COUNTED_BODY_PREFIXES = ['/v1/', '/webhooks/']

/**
 * Refuses a body over MAX_BODY_BYTES before any route parses it. A declared length over the
 * limit is a 413. A body sent without one (chunked) is counted as it arrives where a route
 * reads it that way; elsewhere it is a 411, since parsing it whole would mean holding all of
 * it first. The server's own cap (`maxRequestBodySize`) is set far above the limit, so that
 * these answers, in the caller's format, are the ones a client gets.
 */
export function bodyLimit(config: Pick<Config, 'MAX_BODY_BYTES'>) {
  const limit = config.MAX_BODY_BYTES
  return new Elysia({ name: 'body-limit' }).onRequest(function refuseHugeBody({ request }) {
    const declared = request.headers.get('content-length')
    if (declared !== null) {
      if (Number(declared) > limit) throw bodyTooLarge(limit)
      return
    }
    if (request.headers.get('transfer-encoding') === null) return
    const { url } = request
    const start = pathStart(url)
    if (COUNTED_BODY_PREFIXES.some((prefix) => url.startsWith(prefix, start))) return
    throw new ApiError(
      411,
      'invalid_request_error',
      'length_required',
      'Send the request body with a Content-Length header.',
    )
  })
}
