import { Elysia } from 'elysia'
import { bearerToken } from '../auth/api-keys'
import { unauthorized } from '../http/api-error'
import { pathStart } from '../http/url-path'
import { constantTimeEqual } from '../lib/crypto'

/** Another way to prove admin power, such as a signed-in admin's session. */
export type AdminSessionCheck = (request: Request) => Promise<boolean>

/** True for the admin key (compared in constant time) or an admin's session; nothing else. */
export async function isAdminRequest(
  request: Request,
  adminKey: string,
  sessionCheck?: AdminSessionCheck,
): Promise<boolean> {
  const token = bearerToken(request.headers.get('authorization'))
  if (token !== undefined && constantTimeEqual(token, adminKey)) return true
  return sessionCheck ? sessionCheck(request) : false
}

/**
 * Whether a request URL's path is `/admin` or below it, read the way the router reads it.
 * Plain string work, since it runs for every request, the gateway's included.
 */
export function isAdminPath(url: string): boolean {
  const start = pathStart(url)
  if (start < 0 || !url.startsWith('/admin', start)) return false
  const next = url.charAt(start + '/admin'.length)
  return next === '' || next === '/' || next === '?'
}

interface GuardDeps {
  config: { ADMIN_KEY: string }
  /** Read per request: the app sets it after the admin plugins are built. */
  adminSessionCheck?: AdminSessionCheck
}

/**
 * Refuses an /admin request without admin power before its body is parsed or validated, so a
 * stranger learns nothing from a 400 and always gets the same 401. Elysia runs a route's
 * `beforeHandle` only after validation; `onRequest` comes first. Each admin plugin uses this
 * one, and Elysia registers a named plugin once per app.
 */
export function adminGuard(deps: GuardDeps) {
  return new Elysia({ name: 'admin-guard' }).onRequest(async function requireAdmin({ request }) {
    if (!isAdminPath(request.url)) return
    if (!(await isAdminRequest(request, deps.config.ADMIN_KEY, deps.adminSessionCheck))) {
      throw unauthorized('A valid admin key is required.', 'invalid_admin_key')
    }
  })
}
