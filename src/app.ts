import { Elysia } from 'elysia'
import { adminRoutes } from './admin/routes'
import { assistantRoutes, type AssistantOptions } from './assistant/routes'
import { catalogRoutes } from './catalog/routes'
import { bodyLimit } from './http/body-limit'
import { inputHygiene } from './http/input-hygiene'
import { gatewayRoutes } from './gateway/routes'
import { errorHandler, type HtmlErrorRenderer } from './http/error-handler'
import { healthRoutes } from './ops/health'
import { metricsRoutes } from './ops/metrics-routes'
import { openapiRoutes } from './ops/openapi'
import { paymentRoutes } from './payments/routes'
import { adminSessionCheck } from './portal/admin-session'
import { portalDeps } from './portal/context'
import { portalErrorRenderer } from './portal/error-page'
import { portalRoutes } from './portal/routes'
import { requestLog } from './ops/request-log'
import type { Services } from './services'

export interface AppOptions {
  renderHtmlError?: HtmlErrorRenderer
  assistant?: AssistantOptions
}

/** Composes the parts into one app; a test builds it against any database, upstream or clock. */
export function createApp(services: Services, options: AppOptions = {}) {
  const portal = portalDeps(services)
  services.adminSessionCheck ??= adminSessionCheck(portal)
  return new Elysia({ name: 'sargalay' })
    .use(requestLog(services.logger, services.metrics))
    .use(errorHandler(services.logger, options.renderHtmlError ?? portalErrorRenderer(portal)))
    .use(bodyLimit(services.config))
    .use(inputHygiene())
    .use(healthRoutes(services))
    .use(metricsRoutes(services))
    .use(openapiRoutes())
    .use(adminRoutes(services))
    .use(catalogRoutes(services))
    .use(gatewayRoutes(services))
    .use(paymentRoutes(services))
    .use(portalRoutes(portal))
    .use(assistantRoutes(services, portal, options.assistant ?? {}))
}

export type App = ReturnType<typeof createApp>
