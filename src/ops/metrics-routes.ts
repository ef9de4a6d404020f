import { Elysia, t } from 'elysia'
import { isAdminRequest } from '../admin/guard'
import { unauthorized } from '../http/api-error'
import type { Services } from '../services'
import { adminError } from '../admin/schemas'
import { scrapeMetrics } from './scrape-metrics'

const exposition = 'text/plain; version=0.0.4; charset=utf-8'

/** Prometheus scrape endpoint; it shows business totals, so it needs the admin key. */
export function metricsRoutes(services: Services) {
  const refresh = scrapeMetrics(services)

  return new Elysia({ name: 'metrics' }).get(
    '/metrics',
    async function scrape({ request }) {
      const { config, adminSessionCheck } = services
      if (!(await isAdminRequest(request, config.ADMIN_KEY, adminSessionCheck))) {
        throw unauthorized('A valid admin key is required.', 'invalid_admin_key')
      }
      await refresh()
      return new Response(services.metrics.render(), { headers: { 'content-type': exposition } })
    },
    {
      response: { 200: t.String(), 401: adminError },
      detail: {
        summary: 'Prometheus metrics in the text exposition format',
        tags: ['operations'],
        security: [{ adminKey: [] }],
      },
    },
  )
}
