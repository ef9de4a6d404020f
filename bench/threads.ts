import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chatTargets, type Bench } from './lib/bench'
import { readStat, threadDeltas, threadTimes } from './lib/cpu'
import { hasWrk, load, type LoadSpec } from './lib/load'
import { freshPostgres } from './lib/postgres'
import { spawnServer, type ServerProcess } from './lib/processes'
import { provisionAccount, startSargalay } from './lib/sargalay'

/**
 * Where the CPU goes, per thread: `bun bench/threads.ts [--pg]` loads the bare proxy and
 * Sargalay in turn with wrk (50 connections, 5 s, after a warm-up) and prints, for each
 * process, the CPU time of every thread divided by the requests served, and the whole machine's
 * busy time per request, load generator and upstream included, and with `--pg` the PostgreSQL
 * server's. Unlike a sampling profile, this needs no guess about what a sampled native frame
 * was waiting for.
 * `--profile=DIR` also runs Sargalay under Bun's CPU profiler, for `bun bench/profile.ts DIR`.
 */

if (!hasWrk) throw new Error('bench/threads.ts needs wrk (Debian package wrk)')
const usePostgres = process.argv.includes('--pg')
const profileDir = process.argv.find((arg) => arg.startsWith('--profile='))?.slice(10)
const seconds = 5
const tmp = mkdtempSync(join(tmpdir(), 'sargalay-threads-'))
const servers: ServerProcess[] = []
const started = async (server: Promise<ServerProcess>) => {
  servers.push(await server)
  return servers[servers.length - 1]!
}

/** CPU seconds of every PostgreSQL server process here; it writes on the same two cores. */
function postgresTime(): number {
  let total = 0
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue
    try {
      const { name, seconds } = readStat(`/proc/${pid}/stat`)
      if (name === 'postgres') total += seconds
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return total
}

/** Busy and idle CPU seconds of the whole machine, summed over its cores. */
function machineTimes() {
  // user, nice, system, idle, iowait, irq, softirq, steal, in clock ticks
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/)
  const counts = ticks.slice(1, 9).map(Number)
  const idle = (counts[3] ?? 0) + (counts[4] ?? 0)
  const all = counts.reduce((sum, count) => sum + count, 0)
  return { busy: (all - idle) / 100, idle: idle / 100 }
}

async function measure(label: string, pid: number, spec: LoadSpec) {
  await load({ ...spec, seconds: 2 }, 'wrk')
  const before = threadTimes(pid)
  const machineBefore = machineTimes()
  const postgresBefore = usePostgres ? postgresTime() : 0
  const result = await load(spec, 'wrk')
  const after = threadTimes(pid)
  const machineAfter = machineTimes()
  const postgres = usePostgres ? postgresTime() - postgresBefore : 0

  const perThread = threadDeltas(before, after)
    .map(({ thread, seconds }) => ({ thread, micros: (seconds / result.requests) * 1e6 }))
    .filter(({ micros }) => micros >= 0.5)
    .map(({ thread, micros }) => `${thread.replace(/#\d+$/, '')} ${micros.toFixed(0)}`)
  console.log(
    `${label}: ${result.rps.toFixed(0)} req/s; CPU µs per request: ${perThread.join(', ')}`,
  )
  const busy = machineAfter.busy - machineBefore.busy
  const idle = machineAfter.idle - machineBefore.idle
  console.log(
    `  whole machine (load generator and upstream included): ` +
      `${((busy / result.requests) * 1e6).toFixed(0)} µs per request, ` +
      `${((100 * idle) / (busy + idle)).toFixed(0)}% idle`,
  )
  if (postgres > 0) {
    const micros = (postgres / result.requests) * 1e6
    console.log(`  PostgreSQL server processes: ${micros.toFixed(0)} µs per request`)
  }
}

let database: Awaited<ReturnType<typeof freshPostgres>> | undefined
try {
  const upstream = await started(
    spawnServer({ cmd: [process.execPath, 'bench/servers/upstream.ts'], readyPath: '/models' }),
  )
  const bare = await started(
    spawnServer({
      cmd: [process.execPath, 'bench/servers/bare-proxy.ts'],
      env: { TARGET: upstream.url },
      readyPath: '/models',
    }),
  )
  database = usePostgres ? await freshPostgres() : undefined
  const sargalay = await started(
    startSargalay({
      databaseUrl: database?.url ?? join(tmp, 'sargalay.db'),
      dataDir: tmp,
      upstreamUrl: upstream.url,
      profileDir,
    }),
  )
  const { key, accountId } = await provisionAccount(sargalay.url)
  const bench = { upstream, bare } as Bench
  const targets = chatTargets(bench, { server: sargalay, key, accountId })
  const spec = (target: typeof targets.bare) => ({ ...target, connections: 50, seconds })

  await measure('bare proxy', bare.pid, spec(targets.bare))
  await measure(
    `sargalay (${usePostgres ? 'PostgreSQL' : 'SQLite'})`,
    sargalay.pid,
    spec(targets.sargalay),
  )
} finally {
  for (const server of servers.reverse()) await server.stop().catch(() => {})
  await database?.drop()
  rmSync(tmp, { recursive: true, force: true })
}
process.exit(0)
