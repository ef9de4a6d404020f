import { Elysia } from 'elysia'
import { portalDeps } from '../portal/context'
import type { Services } from '../services'
import { topupAdminPages } from './admin-pages'
import { topupAdminRoutes } from './admin-routes'
import { topupApiRoutes } from './api-routes'
import { topupPages } from './pages'
import { topupLimit } from './topup-limit'
import { webhookRoutes } from './webhook-routes'

/**
 * Every HTTP route of the payments part: the webhook, the admin API, the top-up API for API
 * keys and the portal pages.
 */
export function paymentRoutes(services: Services) {
  const portal = portalDeps(services)
  const limit = topupLimit(services.config, services.clock)
  return new Elysia({ name: 'payments' })
    .use(webhookRoutes(services))
    .use(topupAdminRoutes(services))
    .use(topupApiRoutes(services, limit))
    .use(topupPages(portal, limit))
    .use(topupAdminPages(portal))
}
