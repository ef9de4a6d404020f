import { Elysia } from 'elysia'
import type { Services } from '../services'
import { topupAdminRoutes } from './admin-routes'
import { webhookRoutes } from './webhook-routes'

/** Every HTTP route of the payments part that is not a portal page. */
export function paymentRoutes(services: Services) {
  return new Elysia({ name: 'payments' })
    .use(webhookRoutes(services))
    .use(topupAdminRoutes(services))
}
