/**
 * An error meant for the client, in OpenAI's shape: `{error: {message, type, param, code}}`.
 * Anything thrown that is not an ApiError becomes a generic 500 with only a request id.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string | null,
    message: string,
    readonly param: string | null = null,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }

  body() {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } }
  }
}

export const invalidRequest = (message: string, param: string | null = null, code?: string) =>
  new ApiError(400, 'invalid_request_error', code ?? 'invalid_request', message, param)

export const notFound = (message: string, code = 'not_found', param: string | null = null) =>
  new ApiError(404, 'invalid_request_error', code, message, param)

export const unauthorized = (message: string, code = 'invalid_api_key') =>
  new ApiError(401, 'invalid_request_error', code, message)

export const forbidden = (message: string, code = 'forbidden') =>
  new ApiError(403, 'invalid_request_error', code, message)

export const conflict = (message: string, code = 'conflict') =>
  new ApiError(409, 'invalid_request_error', code, message)

export const tooManyRequests = (message: string, retryAfterSeconds: number) =>
  new ApiError(429, 'rate_limit_error', 'rate_limit_exceeded', message, null, {
    'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
  })

export const bodyTooLarge = (limitBytes: number) =>
  new ApiError(
    413,
    'invalid_request_error',
    'request_too_large',
    `The request body is larger than the limit of ${limitBytes} bytes.`,
  )

export function errorResponse(error: ApiError, requestId?: string): Response {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...error.headers,
  }
  if (requestId) headers['x-request-id'] = requestId
  return new Response(JSON.stringify(error.body()), { status: error.status, headers })
}
