import { Catalog, type CatalogOptions } from '../../src/catalog/catalog'
import type { Database } from '../../src/db/database'
import { ManualClock } from '../../src/lib/clock'
import { memoryLogger } from '../../src/ops/logger'
import { PricingSettings } from '../../src/settings/pricing-settings'
import { testDatabase, type TestDatabase } from '../support/database'
import type { FakeUpstream } from './upstream'

export const TTL_MS = 60_000

export interface HarnessSetup {
  options?: Partial<CatalogOptions>
  /** A database to reuse, as a restarted process would; the caller drops it. */
  database?: TestDatabase
  apiKey?: string
}

/** A catalog on a fresh database with a movable clock and a database that counts its writes. */
export async function catalogHarness(upstream: FakeUpstream, setup: HarnessSetup = {}) {
  const { options, database, apiKey } = setup
  const owned = database === undefined
  const testDb = database ?? (await testDatabase())
  const counted = countWrites(testDb.db)
  const { logger, lines } = memoryLogger()
  const clock = new ManualClock()
  const pricing = new PricingSettings(testDb.db, clock, { usdToMmkRate: 4500, priceMarkup: 1.2 })
  const catalog = new Catalog(
    {
      db: counted.db,
      clock,
      logger,
      pricing,
      upstream: { baseUrl: upstream.baseUrl, apiKey, demo: false },
    },
    { ttlMs: TTL_MS, coldStartTimeoutMs: 2_000, retryBaseMs: 5, retryMaxMs: 40, ...options },
  )

  return {
    catalog,
    database: testDb,
    lines,
    clock,
    pricing,
    writes: counted.writes,
    close: async () => {
      await catalog.stop()
      if (owned) await testDb.drop()
    },
  }
}

function countWrites(db: Database) {
  const writes = { count: 0 }
  const counted: Database = {
    dialect: db.dialect,
    orm: db.orm,
    t: db.t,
    write: (work) => {
      writes.count++
      return db.write(work)
    },
    applyPlan: (plan) => db.applyPlan(plan),
    readAside: (query) => db.readAside(query),
    ping: () => db.ping(),
    close: () => db.close(),
  }
  return { db: counted, writes }
}
