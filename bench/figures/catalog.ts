import { join } from 'node:path'
import type { ModelSearchQuery } from '../../src/catalog/search'
import { loadConfig } from '../../src/config'
import { openDatabase } from '../../src/db/database'
import { systemClock } from '../../src/lib/clock'
import { createLogger } from '../../src/ops/logger'
import { createServices, stopServices } from '../../src/services'
import type { Bench, Gateway } from '../lib/bench'
import { sequential } from '../lib/clients'
import { figure, type Figure } from '../lib/report'
import { quantile } from '../lib/stats'

/** `/v1/models` with the full list, alternating with the upstream serving its own list. */
export async function modelsFigure(bench: Bench, gateway: Gateway): Promise<Figure> {
  const [direct, sargalay] = await sequential(
    [
      { url: `${bench.upstream.url}/models` },
      { url: `${gateway.server.url}/v1/models`, auth: `Bearer ${gateway.key}` },
    ],
    bench.sizes.modelRequests,
  )
  return figure(bench.sizes, 'models_p99_ms', quantile(sargalay!, 0.99), {
    requests: sargalay!.length,
    p50Ms: quantile(sargalay!, 0.5),
    upstreamListP99Ms: quantile(direct!, 0.99),
  })
}

/** What a user types, one keystroke at a time, and the filters the portal and assistant send. */
const queries: ModelSearchQuery[] = [
  ...['b', 'be', 'ben', 'benc', 'bench', 'bench m', 'bench mo', 'model 1', 'model 12'].map(
    (text) => ({ text }),
  ),
  { text: 'code', sort: 'price' },
  { text: 'synthetic chat', limit: 50 },
  { inputModality: 'image' },
  { freeOnly: true },
  { maxPricePer1MMmk: 5000, sort: 'price' },
  { minContextLength: 65_536, sort: 'context' },
  { provider: 'bench-3', text: 'model' },
  { text: 'no such model anywhere' },
]

/**
 * The catalog's search function on the full list, in this process: the same code the portal
 * and the assistant call, with nothing around it.
 */
export async function searchFigure(bench: Bench): Promise<Figure> {
  const dataDir = join(bench.tmp, 'search')
  const config = loadConfig({
    DATA_DIR: dataDir,
    DATABASE_URL: join(dataDir, 'search.db'),
    UPSTREAM_BASE_URL: bench.upstream.url,
    UPSTREAM_API_KEY: 'bench-upstream-key',
    LOG_LEVEL: 'silent',
  })
  const db = await openDatabase(config.DATABASE_URL)
  const logger = createLogger('silent')
  const services = await createServices({ config, db, clock: systemClock, logger })

  try {
    if (!(await services.catalog.whenReady())) throw new Error('the catalog never loaded')
    for (const query of queries) services.catalog.search(query)
    const timings: number[] = []
    for (let i = 0; i < bench.sizes.searches; i++) {
      const started = performance.now()
      services.catalog.search(queries[i % queries.length]!)
      timings.push(performance.now() - started)
    }
    return figure(bench.sizes, 'search_p99_ms', quantile(timings, 0.99), {
      searches: timings.length,
      distinctQueries: queries.length,
      p50Ms: quantile(timings, 0.5),
      models: services.catalog.search({ limit: 1 }).total,
    })
  } finally {
    await stopServices(services)
    await db.close()
  }
}
