import { createHmac } from 'node:crypto'
import { constantTimeEqual } from '../lib/crypto'

/**
 * Cross-site request forgery protection, two layers: a state-changing request must come from our
 * own origin (browsers send Origin on every POST), and must carry a token that only our pages
 * can know: an HMAC of a random per-browser cookie, so a planted cookie is useless without the
 * server secret.
 */

export const CSRF_COOKIE = 'sg_csrf'
export const CSRF_FIELD = '_csrf'
export const CSRF_HEADER = 'x-csrf-token'

export function csrfToken(secret: string, seed: string): string {
  return createHmac('sha256', secret).update(`csrf:${seed}`).digest('base64url')
}

export function isStateChanging(method: string) {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase())
}

/** False when the browser says the request came from another site. */
export function comesFromUs(request: Request, ownOrigins: string[]): boolean {
  const origin = request.headers.get('origin')
  if (origin) return ownOrigins.includes(origin)
  const site = request.headers.get('sec-fetch-site')
  return site === null || site === 'same-origin' || site === 'none'
}

/** The token the request carries, in the htmx header or the form field. */
export function presentedToken(request: Request, body: unknown): string | undefined {
  const header = request.headers.get(CSRF_HEADER)
  if (header) return header
  if (typeof body === 'object' && body !== null) {
    const field = (body as Record<string, unknown>)[CSRF_FIELD]
    if (typeof field === 'string') return field
  }
  return undefined
}

export function csrfValid(expected: string, presented: string | undefined): boolean {
  return presented !== undefined && constantTimeEqual(expected, presented)
}
