import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { modelsFigure, searchFigure } from './figures/catalog'
import { latencyFigure, loadFigures } from './figures/proxy'
import { portalFigures } from './figures/portal'
import { seedDatabase, startupFigures } from './figures/seeded'
import { concurrentStreamsFigure, streamLatencyFigures } from './figures/streaming'
import { FULL, SMOKE, type Bench, type Gateway } from './lib/bench'
import { hasWrk } from './lib/load'
import { machine } from './lib/machine'
import { freshPostgres, POSTGRES_SERVER } from './lib/postgres'
import { spawnServer, type ServerProcess } from './lib/processes'
import { failed, table, writeJson, type Figure } from './lib/report'
import { provisionAccount, startSargalay } from './lib/sargalay'
import { HEAVY_ACCOUNT_ID } from './lib/seed'
import { targets, type FigureId } from './lib/targets'

/**
 * The benchmark suite. `bun bench/run.ts` measures everything (two to three minutes);
 * `--smoke` runs every step with tiny sizes in seconds. Options: `--out=FILE` (default
 * bench/results/latest.json), `--postgres=URL` (a server where a database may be created and
 * dropped), `--bun-load` (a Bun load client instead of wrk), `--profile=DIR` (run Sargalay under
 * Bun's CPU profiler and keep a Markdown profile per process in DIR), `--only=ID,ID` (measure
 * only the steps that give these figures, as named in the JSON file).
 */

const args = process.argv.slice(2)
const option = (name: string) =>
  args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3)

// Bun's fetch runs 256 requests at once unless this is set before the process starts, and the
// client side of the concurrent-streams figure needs more.
if (!process.env.BUN_CONFIG_MAX_HTTP_REQUESTS) {
  const child = Bun.spawn([process.execPath, import.meta.path, ...args], {
    env: { ...process.env, BUN_CONFIG_MAX_HTTP_REQUESTS: '8192' },
    stdio: ['inherit', 'inherit', 'inherit'],
  })
  process.exit(await child.exited)
}

const smoke = args.includes('--smoke')
const out = option('out') ?? join(import.meta.dir, 'results', 'latest.json')
const postgresServer = option('postgres') ?? POSTGRES_SERVER
const tool = args.includes('--bun-load') || !hasWrk ? 'bun' : 'wrk'
const log = (message: string) => console.error(`[bench] ${message}`)
const only = option('only')?.split(',')
const unknown = only?.filter((id) => !(id in targets(FULL)))
if (unknown?.length) {
  log(`--only names no such figure: ${unknown.join(', ')}`)
  log(`the figures: ${Object.keys(targets(FULL)).join(', ')}`)
  process.exit(2)
}

const startedAt = new Date()
// Other work on the machine shows here: a load above the core count means a noisy run.
const loadBefore = loadavg()[0]!
const tmp = mkdtempSync(join(tmpdir(), 'sargalay-bench-'))
const cleanups: (() => Promise<void>)[] = []
const stopLater = (server: ServerProcess) => {
  cleanups.push(() => server.stop())
  return server
}

async function gateway(databaseUrl: string, name: string): Promise<Gateway> {
  const server = stopLater(
    await startSargalay({
      databaseUrl,
      dataDir: join(tmp, name),
      upstreamUrl: bench.upstream.url,
      profileDir: bench.profileDir,
    }),
  )
  const { key, accountId } = await provisionAccount(server.url)
  return { server, key, accountId }
}

log(`${smoke ? 'smoke' : 'full'} run, load by ${tool}, work in ${tmp}`)
const upstream = stopLater(
  await spawnServer({
    cmd: [process.execPath, 'bench/servers/upstream.ts'],
    env: { BENCH_MODELS: String((smoke ? SMOKE : FULL).models) },
    readyPath: '/models',
  }),
)
const bare = stopLater(
  await spawnServer({
    cmd: [process.execPath, 'bench/servers/bare-proxy.ts'],
    env: { TARGET: upstream.url },
    readyPath: '/models',
  }),
)
const profileDir = option('profile')
const bench: Bench = { sizes: smoke ? SMOKE : FULL, tool, upstream, bare, tmp, profileDir, log }
const figures: Figure[] = []

/** Runs one step; a step that fails still leaves its rows in the table, marked with the error. */
async function step(
  ids: FigureId[],
  work: () => Promise<Figure | Figure[]>,
  alsoFor: FigureId[] = [],
) {
  if (only && ![...ids, ...alsoFor].some((id) => only.includes(id))) return

  try {
    figures.push(...[await work()].flat())
  } catch (error) {
    log(`failed: ${ids.join(', ')}: ${error instanceof Error ? error.message : error}`)
    figures.push(...failed(bench.sizes, ids, error))
  }
}

let seededServer: ServerProcess | undefined

try {
  const sqlite = await gateway(join(tmp, 'sqlite', 'sargalay.db'), 'sqlite')
  await step(['added_latency_ms'], () => latencyFigure(bench, sqlite))
  const loadIds: FigureId[] = ['throughput_ratio_sqlite', 'throughput_ratio_pg', 'p99_ratio']
  await step(loadIds, async () => {
    const database = await freshPostgres(postgresServer)
    cleanups.push(database.drop)
    const pg = await gateway(database.url, 'pg')
    return loadFigures(bench, sqlite, pg).finally(() => pg.server.stop())
  })
  const streamIds: FigureId[] = ['stream_ttfc_added_p99_ms', 'stream_chunk_added_p99_ms']
  await step(streamIds, () => streamLatencyFigures(bench, sqlite))
  await step(['concurrent_streams_peak_rss_mb'], () => concurrentStreamsFigure(bench, sqlite))
  await step(['models_p99_ms'], () => modelsFigure(bench, sqlite))
  await sqlite.server.stop()
  await step(['search_p99_ms'], () => searchFigure(bench))

  const portalIds: FigureId[] = ['portal_dashboard_p95_ms', 'portal_usage_p95_ms']
  const seededIds: FigureId[] = ['startup_ms', 'idle_rss_mb']
  // The portal pages are timed on the server this step starts.
  await step(
    seededIds,
    async () => {
      const seeded = await seedDatabase(bench)
      log(`seeded in ${seeded.seedSeconds.toFixed(1)} s`)
      const started = await startupFigures(bench, seeded, sqlite.server.startMs)
      stopLater(started.server)
      seededServer = started.server
      return started.figures
    },
    portalIds,
  )
  await step(portalIds, async () => {
    if (!seededServer) throw new Error('the seeded server did not start')
    return portalFigures(bench, seededServer, HEAVY_ACCOUNT_ID)
  })
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => log(String(error)))
  rmSync(tmp, { recursive: true, force: true })
}

const seconds = (Date.now() - startedAt.getTime()) / 1000
writeJson(
  out,
  {
    command: ['bun', 'bench/run.ts', ...args].join(' '),
    mode: smoke ? 'smoke' : 'full',
    loadTool: tool,
    startedAt: startedAt.toISOString(),
    seconds,
    machine: { ...machine(), loadAverageBefore: loadBefore, loadAverageAfter: loadavg()[0]! },
  },
  figures,
)
console.log(table(figures))
const met = figures.filter((f) => f.met).length
log(`${met} of ${figures.length} targets met in ${seconds.toFixed(0)} s; ${out}`)
log(`load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after`)
// Pooled keep-alive sockets would hold the process open for seconds after the work is done.
process.exit(figures.some((f) => Number.isNaN(f.value)) ? 1 : 0)
