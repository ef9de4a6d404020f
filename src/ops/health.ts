import { Elysia, t } from 'elysia'
import type { Services } from '../services'

const status = t.Object({
  status: t.String(),
  checks: t.Optional(t.Record(t.String(), t.String())),
})

/** Liveness says the process answers; readiness says it can do its work. */
export function healthRoutes(services: Services) {
  return new Elysia({ name: 'health' })
    .get('/healthz', () => ({ status: 'ok' }), {
      response: status,
      detail: { summary: 'The process is alive', tags: ['health'] },
    })
    .get(
      '/readyz',
      async ({ set }) => {
        const checks: Record<string, string> = {}
        checks.database = await services.db.ping().then(
          (ok) => (ok ? 'ok' : 'down'),
          () => 'down',
        )
        checks.ledger = services.journal.healthy ? 'ok' : 'write-back failing'
        // A balancer still holding a connection learns to send no new work while streams drain.
        if (services.inFlight.shuttingDown) checks.server = 'shutting down'
        const ready = Object.values(checks).every((value) => value === 'ok')
        if (!ready) set.status = 503
        return { status: ready ? 'ready' : 'not ready', checks }
      },
      {
        response: { 200: status, 503: status },
        detail: { summary: 'The database is reachable and migrated', tags: ['health'] },
      },
    )
}
