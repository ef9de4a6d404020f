import { Elysia, ValidationError } from 'elysia'
import { LedgerError } from '../ledger/errors'
import type { Logger } from '../ops/logger'
import { ApiError, errorResponse, invalidRequest, notFound } from './api-error'
import { contextOf } from './request-context'

/** Renders an error for a caller that wants HTML (the portal); JSON callers never reach it. */
export type HtmlErrorRenderer = (request: Request, status: number) => Response | Promise<Response>

const jsonPrefixes = [
  '/v1',
  '/admin',
  '/billing',
  '/webhooks',
  '/healthz',
  '/readyz',
  '/metrics',
  '/docs',
]

export function wantsJson(request: Request) {
  const path = new URL(request.url).pathname
  return jsonPrefixes.some((prefix) => path === prefix || path.startsWith(prefix + '/'))
}

/**
 * The one place errors become responses. Known errors keep their status and message; anything
 * else is logged and answered with a generic body and the request id, never its own message.
 */
export function errorHandler(logger: Logger, renderHtml?: HtmlErrorRenderer) {
  return new Elysia({ name: 'error-handler' }).onError({ as: 'global' }, async (ctx) => {
    const { request, code, error } = ctx
    const context = contextOf(request)
    const apiError = toApiError(code, error)

    if (!apiError) {
      logger.error('unhandled_error', { requestId: context.id, error })
    }
    const status = apiError?.status ?? 500
    context.status = status
    if (!wantsJson(request) && renderHtml) {
      const page = await renderHtml(request, status)
      page.headers.set('x-request-id', context.id)
      return page
    }

    const body =
      apiError ??
      new ApiError(
        500,
        'api_error',
        'internal_error',
        `Something went wrong on our side. Quote request id ${context.id} if you contact us.`,
      )
    return errorResponse(body, context.id)
  })
}

function toApiError(code: unknown, error: unknown): ApiError | undefined {
  if (error instanceof ApiError) return error
  if (error instanceof LedgerError) return ledgerToApiError(error)
  if (code === 'NOT_FOUND') return notFound('No such route.', 'not_found')
  if (code === 'PARSE')
    return invalidRequest('The request body is not valid JSON.', null, 'invalid_json')
  if (code === 'VALIDATION' && error instanceof ValidationError) return validationToApiError(error)
  if (code === 'INVALID_COOKIE_SIGNATURE') return invalidRequest('Invalid cookie.')
  return undefined
}

function ledgerToApiError(error: LedgerError): ApiError {
  if (error.code === 'unknown_account') return notFound('No such user.', 'user_not_found')
  if (error.code === 'insufficient_funds') {
    return new ApiError(
      409,
      'invalid_request_error',
      'insufficient_balance',
      error.message,
      'amount_mmk',
    )
  }
  return invalidRequest(error.message, 'amount_mmk', error.code)
}

function validationToApiError(error: ValidationError): ApiError {
  const first = error.all[0] as { path?: string; summary?: string; message?: string } | undefined
  const path = first?.path?.replace(/^\//, '').replace(/\//g, '.') || null
  const why = first?.summary ?? first?.message ?? 'is invalid'
  // Elysia checks query and path parameters one by one and reports them without a path.
  const where = error.type === 'property' ? 'parameter' : error.type
  const message = path ? `Invalid ${where} field "${path}": ${why}` : `Invalid ${where}: ${why}`
  return invalidRequest(message, path, 'invalid_request')
}
