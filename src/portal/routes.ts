import { Elysia } from 'elysia'
import type { PortalDeps } from './context'
import { authRoutes } from './routes/auth'
import { landingRoutes } from './routes/landing'
import { staticFiles } from './static'

/** Every portal page, composed; src/app.ts mounts this. */
export function portalRoutes(deps: PortalDeps) {
  return new Elysia({ name: 'portal' })
    .use(staticFiles())
    .use(authRoutes(deps))
    .use(landingRoutes(deps))
}
