import { Elysia } from 'elysia'
import { portalContext, type PortalDeps } from './context'
import { comesFromUs, csrfValid, isStateChanging, presentedToken } from './csrf'
import { errorPage } from './error-page'
import { redirect } from './render'

/**
 * What every portal route uses: `portal` (the PortalContext) in the handler's context, CSRF
 * protection on every state-changing request, and two guards as route options:
 * `{ signedIn: true }` (an account, else off to sign-in) and `{ admin: true }`.
 * Another part adds a page with `new Elysia().use(portalPlugin(deps)).get(...)`.
 */
export function portalPlugin(deps: PortalDeps) {
  return new Elysia()
    .resolve({ as: 'scoped' }, async ({ request }) => ({
      portal: await portalContext(deps, request),
    }))
    .onBeforeHandle({ as: 'scoped' }, async function refuseForgedRequests({ request, body }) {
      if (!isStateChanging(request.method)) return
      const ctx = await portalContext(deps, request)
      if (
        comesFromUs(request, ctx.ownOrigins) &&
        csrfValid(ctx.csrfToken, presentedToken(request, body))
      ) {
        return
      }
      deps.services.logger.warn('csrf_refused', { path: new URL(request.url).pathname })
      return errorPage(ctx, 403, 'errors.csrf')
    })
    .macro({
      signedIn: {
        async beforeHandle({ request }) {
          const ctx = await portalContext(deps, request)
          if (ctx.account) return
          const next = encodeURIComponent(ctx.path)
          return redirect(ctx, `/signin?next=${next}`)
        },
        async resolve({ request }) {
          const ctx = await portalContext(deps, request)
          // beforeHandle has already turned away a request without an account.
          return { account: ctx.account! }
        },
      },
      admin: {
        async beforeHandle({ request }) {
          const ctx = await portalContext(deps, request)
          if (ctx.isAdmin) return
          if (!ctx.account && !ctx.session) return redirect(ctx, '/console/signin')
          return errorPage(ctx, 403)
        },
      },
    })
}
