import { count } from 'drizzle-orm'
import { unitsToMmk } from '../ledger/money'
import type { Services } from '../services'

/**
 * Gauges read at scrape time, so the request path pays nothing for them: work in flight,
 * open holds, writes waiting for the journal, the catalog's age and payment orders by state.
 * Answers the refresh to run before each render (the orders need a query).
 */
export function scrapeMetrics(services: Services): () => Promise<void> {
  const known = refreshers.get(services)
  if (known) return known
  const refresh = registerScrapeMetrics(services)
  refreshers.set(services, refresh)
  return refresh
}

// An app may be composed twice over one set of services (tests do); register once.
const refreshers = new WeakMap<Services, () => Promise<void>>()

function registerScrapeMetrics(services: Services) {
  const { metrics, ledger, journal, inFlight, catalog } = services

  metrics.gauge(
    'sargalay_shutdown_tracked_work',
    'Streams and other work registered in services.inFlight; shutdown waits for them.',
    () => inFlight.count,
  )
  metrics.gauge(
    'sargalay_ledger_open_holds',
    'Holds placed and not yet settled.',
    () => ledger.openHolds().length,
  )
  metrics.gauge('sargalay_ledger_held_mmk', 'Kyat reserved by open holds.', () =>
    unitsToMmk(ledger.openHolds().reduce((sum, hold) => sum + hold.amountUnits, 0)),
  )
  metrics.gauge(
    'sargalay_ledger_pending_writes',
    'Ledger changes applied in memory and not yet written to the database.',
    () => journal.pending,
  )
  metrics.gauge(
    'sargalay_catalog_age_seconds',
    'Time since the upstream last confirmed the model list; absent before there is one.',
    () => {
      const { checkedAt } = catalog.status()
      return checkedAt === null ? [] : [[{}, (services.clock.now() - checkedAt) / 1000]]
    },
  )
  metrics.gauge('sargalay_catalog_models', 'Models in the catalog.', () => catalog.status().models)
  metrics.gauge(
    'sargalay_catalog_refresh_failures',
    'Failed catalog refreshes in a row.',
    () => catalog.status().failures,
  )
  const orders = metrics.gauge('sargalay_topup_orders', 'Top-up orders in the database, by status.')

  return async () => {
    const t = services.db.t.topupOrders
    const rows = await services.db.orm
      .select({ status: t.status, orders: count() })
      .from(t)
      .groupBy(t.status)
    orders.replace(rows.map((row) => [{ status: row.status }, Number(row.orders)]))
  }
}
