import { Elysia } from 'elysia'
import type { Config } from '../config'
import { ApiError } from './api-error'

/**
 * Refuses a request whose declared length is over MAX_BODY_BYTES before any route parses it.
 * Routes other than the gateway's parse bodies whole, and Bun alone would buffer up to 128 MiB.
 * A body sent without a length is bounded by the server's `maxRequestBodySize` instead.
 */
export function bodyLimit(config: Pick<Config, 'MAX_BODY_BYTES'>) {
  const limit = config.MAX_BODY_BYTES
  return new Elysia({ name: 'body-limit' }).onRequest(function refuseHugeBody({ request }) {
    const declared = request.headers.get('content-length')
    if (declared === null || Number(declared) <= limit) return
    throw new ApiError(
      413,
      'invalid_request_error',
      'request_too_large',
      `The request body is larger than the limit of ${limit} bytes.`,
    )
  })
}
