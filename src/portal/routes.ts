import { Elysia } from 'elysia'
import type { PortalDeps } from './context'
import { adminPages } from './routes/admin'
import { authRoutes } from './routes/auth'
import { dashboardRoutes } from './routes/dashboard'
import { docsRoutes } from './routes/docs'
import { keysRoutes } from './routes/keys'
import { landingRoutes } from './routes/landing'
import { modelsRoutes } from './routes/models'
import { settingsRoutes } from './routes/settings'
import { usageRoutes } from './routes/usage'
import { staticFiles } from './static'

/** Every portal page, composed; src/app.ts mounts this. */
export function portalRoutes(deps: PortalDeps) {
  return new Elysia({ name: 'portal' })
    .use(staticFiles())
    .use(authRoutes(deps))
    .use(landingRoutes(deps))
    .use(dashboardRoutes(deps))
    .use(keysRoutes(deps))
    .use(modelsRoutes(deps))
    .use(usageRoutes(deps))
    .use(docsRoutes(deps))
    .use(settingsRoutes(deps))
    .use(adminPages(deps))
}
