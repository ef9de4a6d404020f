import type { AdminSessionCheck } from '../admin/guard'
import { portalContext, type PortalDeps } from './context'
import { comesFromUs, isStateChanging } from './csrf'

/**
 * Lets the JSON admin API accept a signed-in admin's session cookie. A state-changing call must
 * also come from our own origin, so the cookie alone cannot be used by another site.
 */
export function adminSessionCheck(deps: PortalDeps): AdminSessionCheck {
  return async (request) => {
    if (!request.headers.get('cookie')) return false
    const ctx = await portalContext(deps, request)
    if (!ctx.isAdmin) return false
    return !isStateChanging(request.method) || comesFromUs(request, ctx.ownOrigins)
  }
}
