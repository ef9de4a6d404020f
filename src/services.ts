import type { AdminSessionCheck } from './admin/guard'
import { Accounts } from './auth/accounts'
import { Catalog } from './catalog/catalog'
import { demoUnlessKeyed } from './gateway/demo-target'
import { KeyIndex } from './auth/key-index'
import { SessionRevocations } from './auth/session-revocations'
import type { Config } from './config'
import type { Database } from './db/database'
import type { Clock } from './lib/clock'
import { Journal } from './ledger/journal'
import { Ledger } from './ledger/ledger'
import { InFlight } from './ops/in-flight'
import type { Logger } from './ops/logger'
import { MetricsRegistry } from './ops/metrics'
import { createPayments, type Payments } from './payments/payments'
import { PricingSettings } from './settings/pricing-settings'

/** Where upstream calls go. With no upstream key this is the built-in demo upstream. */
export interface UpstreamTarget {
  baseUrl: string
  apiKey?: string
  demo: boolean
}

/** Everything the HTTP parts need, built once from explicit dependencies. */
export interface Services {
  config: Config
  db: Database
  clock: Clock
  logger: Logger
  journal: Journal
  ledger: Ledger
  accounts: Accounts
  keys: KeyIndex
  /** Portal sessions ended by signing out (src/auth/session-revocations.ts). */
  revokedSessions: SessionRevocations
  pricing: PricingSettings
  metrics: MetricsRegistry
  upstream: UpstreamTarget
  /** Upstream models and prices, from memory (src/catalog/). */
  catalog: Catalog
  /** Streams and other work that shutdown waits for, then aborts (src/ops/in-flight.ts). */
  inFlight: InFlight
  /** Top-ups: MMPay, or the local simulator without credentials (src/payments/). */
  payments: Payments
  /** Registers work to undo at shutdown (timers, local servers); run by `stopServices`. */
  onStop(stop: () => void | Promise<void>): void
  /** Set by the portal so the admin API also accepts a signed-in admin. */
  adminSessionCheck?: AdminSessionCheck
}

export interface ServiceDeps {
  config: Config
  db: Database
  clock: Clock
  logger: Logger
  /** Overrides the upstream named by the configuration, for tests. */
  upstream?: UpstreamTarget
}

/** Builds the services and loads their hot state from the database. */
export async function createServices(deps: ServiceDeps): Promise<Services> {
  const { config, db, clock, logger } = deps
  const journal = new Journal(db, logger, config.LEDGER_FLUSH_MS, config.LEDGER_HOLD_WRITE_AFTER_MS)
  const ledger = new Ledger(db, journal, clock, logger)
  const accounts = new Accounts(db, ledger, clock)
  const keys = new KeyIndex(db, clock, (accountId) => ledger.sharedId(accountId))
  const pricing = new PricingSettings(db, clock, {
    usdToMmkRate: config.USD_TO_MMK_RATE,
    priceMarkup: config.PRICE_MARKUP,
  })

  // The ledger first: the key index shares its account ids.
  await Promise.all([ledger.load(), pricing.load()])
  await keys.load()
  const revokedSessions = new SessionRevocations(db, clock)
  await revokedSessions.load()
  const metrics = new MetricsRegistry()
  const demo = deps.upstream ? undefined : demoUnlessKeyed(config, logger)
  const upstream = deps.upstream ?? demo?.target ?? configuredUpstream(config)
  const catalog = new Catalog(
    { db, clock, logger, pricing, upstream },
    {
      ttlMs: config.CATALOG_TTL_SECONDS * 1000,
      coldStartTimeoutMs: config.CATALOG_COLD_START_TIMEOUT_MS,
    },
  )
  const stoppers: (() => void | Promise<void>)[] = []
  const onStop = (stop: () => void | Promise<void>) => void stoppers.push(stop)
  const services: Services = {
    config,
    db,
    clock,
    logger,
    journal,
    ledger,
    accounts,
    keys,
    revokedSessions,
    pricing,
    metrics,
    upstream,
    catalog,
    inFlight: new InFlight(),
    payments: createPayments({ config, db, ledger, clock, logger }),
    onStop,
  }
  stopping.set(services, stoppers)
  onStop(() => services.payments.stop())
  if (demo) onStop(demo.stop)
  // Loads the stored list; an empty database starts the first fetch in the background.
  onStop(() => catalog.stop())
  await catalog.start()

  // Last-used times are kept in memory and written now and then, not on every request.
  const lastUsedTimer = setInterval(() => {
    keys.flushLastUsed().catch((error) => logger.warn('key_last_used_flush_failed', { error }))
  }, 30_000)
  lastUsedTimer.unref()
  onStop(() => clearInterval(lastUsedTimer))
  return services
}

function configuredUpstream(config: Config): UpstreamTarget {
  return { baseUrl: config.UPSTREAM_BASE_URL, apiKey: config.UPSTREAM_API_KEY, demo: false }
}

const stopping = new WeakMap<Services, (() => void | Promise<void>)[]>()

/** Stops background work in reverse order of registration, then writes what is pending. */
export async function stopServices(services: Services) {
  const stoppers = stopping.get(services) ?? []
  for (const stop of stoppers.reverse()) await stop()
  stoppers.length = 0
  await flushServices(services)
}

/** Writes what is still only in memory; for shutdown and tests. */
export async function flushServices(services: Services) {
  await services.ledger.flush()
  await services.keys.flushLastUsed()
}
