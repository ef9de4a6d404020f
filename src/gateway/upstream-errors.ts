import { ApiError } from '../http/api-error'
import type { FailureKind } from './upstream-call'

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** What an upstream error body says, read defensively (OpenRouter's shapes vary). */
export interface UpstreamErrorInfo {
  status: number
  message: string
  errorType: string | null
  retryAfter: string | null
}

/**
 * An upstream's message goes to the client and the log, so anything shaped like a key in it
 * (the operator's `sk-or-…`, a client's `sk-sg-…`, a bearer token) is blanked first.
 */
const KEY_LIKE = /\bsk-[\w-]{6,}|\bBearer\s+[\w.~+/=-]{6,}/gi
const redactKeys = (message: string) => message.replace(KEY_LIKE, '[redacted]')

/** Reads `{error: {code, message, metadata: {error_type}}}`; the HTTP status wins. */
export function readUpstreamError(status: number, body: unknown, retryAfter: string | null) {
  const error = isObject(body) && isObject(body.error) ? body.error : {}
  const metadata = isObject(error.metadata) ? error.metadata : {}
  const coded = typeof error.code === 'number' ? error.code : Number(error.http_status)
  const errorType = metadata.error_type ?? error.error_type
  return {
    status: status >= 400 ? status : Number.isInteger(coded) && coded >= 400 ? coded : 502,
    message: typeof error.message === 'string' ? redactKeys(error.message.slice(0, 500)) : '',
    errorType: typeof errorType === 'string' ? errorType : null,
    retryAfter,
  } satisfies UpstreamErrorInfo
}

const unavailable = () =>
  new ApiError(
    503,
    'service_unavailable_error',
    'upstream_unavailable',
    'The service is temporarily unavailable. Please try again later.',
  )

/**
 * The client-facing error for an upstream error status (PROTOCOLS 1B.2). The client learns
 * what it can act on; the operator's own key or credit trouble is never blamed on it.
 */
export function clientErrorFor(info: UpstreamErrorInfo): ApiError {
  const { status, message } = info
  const said = message || 'The upstream provider refused the request.'
  if (status === 401 || status === 402) return unavailable()
  if (status === 403)
    return new ApiError(403, 'invalid_request_error', 'content_policy_violation', said)
  if (status === 404) {
    const text = 'The model is not available upstream right now.'
    return new ApiError(404, 'invalid_request_error', 'model_not_found', text, 'model')
  }
  if (status === 408 || status === 524) return failureError('timeout')
  if (status === 413) return new ApiError(413, 'invalid_request_error', 'request_too_large', said)
  if (status === 429) return rateLimited(info.retryAfter)
  if (status >= 500) return upstreamDown(status, info.retryAfter)
  return new ApiError(400, 'invalid_request_error', info.errorType, said)
}

function rateLimited(retryAfter: string | null) {
  const seconds = retryAfter && /^\d+$/.test(retryAfter) ? retryAfter : '5'
  return new ApiError(
    429,
    'rate_limit_error',
    'rate_limit_exceeded',
    'The upstream provider is rate limiting requests. Retry after a short wait.',
    null,
    { 'retry-after': seconds },
  )
}

function upstreamDown(status: number, retryAfter: string | null) {
  const busy = status === 503 || status === 529
  const headers: Record<string, string> = retryAfter ? { 'retry-after': retryAfter } : {}
  const message = busy
    ? 'The upstream provider is overloaded. Please try again shortly.'
    : 'The upstream provider failed to answer. Please try again.'
  return new ApiError(busy ? 503 : 502, 'api_error', 'upstream_error', message, null, headers)
}

/** The client-facing error when no upstream answer arrived or it could not be read. */
export function failureError(kind: FailureKind): ApiError {
  if (kind === 'timeout') {
    const message = 'The upstream provider did not answer in time.'
    return new ApiError(504, 'timeout_error', 'upstream_timeout', message)
  }
  if (kind === 'shutdown') {
    const message = 'The server is restarting. Please retry.'
    return new ApiError(503, 'service_unavailable_error', 'shutting_down', message)
  }
  if (kind === 'body') {
    const message = 'The upstream provider sent an answer that could not be read.'
    return new ApiError(502, 'api_error', 'upstream_error', message)
  }
  return new ApiError(
    502,
    'api_error',
    'upstream_error',
    'The upstream provider could not be reached.',
  )
}

/**
 * A failure after the upstream had started answering, which it may bill and so do we: the
 * OpenAI SDKs retry a 5xx by default, and each retry would be paid again.
 */
export function chargedFailureError(kind: FailureKind): ApiError {
  const { status, type, code, message } = failureError(kind)
  return new ApiError(status, type, code, message, null, { 'x-should-retry': 'false' })
}
