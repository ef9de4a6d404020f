import { join } from 'node:path'
import type { Bench } from '../lib/bench'
import { memoryOf, type ServerProcess } from '../lib/processes'
import { figure, type Figure } from '../lib/report'
import { startSargalay } from '../lib/sargalay'
import { seedSqlite, type Seeded } from '../lib/seed'
import { median } from '../lib/stats'

export interface SeededDatabase extends Seeded {
  path: string
  seedSeconds: number
}

export async function seedDatabase(bench: Bench): Promise<SeededDatabase> {
  const path = join(bench.tmp, 'seeded', 'sargalay.db')
  const started = performance.now()
  const seeded = await seedSqlite(path, bench.sizes.seed)
  return { ...seeded, path, seedSeconds: (performance.now() - started) / 1000 }
}

/**
 * Start-up (spawn of `bun run start` until `/readyz` answers) on the seeded database, once per
 * round, and the resident memory of the last start after it has sat idle.
 */
export async function startupFigures(
  bench: Bench,
  seeded: SeededDatabase,
  emptyStartMs: number,
): Promise<{ figures: Figure[]; server: ServerProcess }> {
  const start = () =>
    startSargalay({
      databaseUrl: seeded.path,
      dataDir: join(bench.tmp, 'seeded'),
      upstreamUrl: bench.upstream.url,
      profileDir: bench.profileDir,
    })
  const times: number[] = []
  for (let round = 1; round < bench.sizes.rounds; round++) {
    const server = await start()
    times.push(server.startMs)
    await server.stop()
  }
  const server = await start()
  times.push(server.startMs)
  await Bun.sleep(bench.sizes.idleMs)

  const figures = [
    figure(bench.sizes, 'startup_ms', median(times), {
      startsMs: times,
      emptyDatabaseStartMs: emptyStartMs,
      seedSeconds: seeded.seedSeconds,
    }),
    figure(bench.sizes, 'idle_rss_mb', memoryOf(server.pid).rssMb, {
      idleMs: bench.sizes.idleMs,
      peakSinceStartMb: memoryOf(server.pid).peakMb,
    }),
  ]
  return { figures, server }
}
