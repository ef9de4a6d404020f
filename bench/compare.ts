import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chatBody } from './lib/bench'
import { isMainThread, threadDeltas, threadTimes } from './lib/cpu'
import { hasWrk, load, type LoadSpec } from './lib/load'
import { spawnServer, type ServerProcess } from './lib/processes'
import { provisionAccount, startSargalay } from './lib/sargalay'
import { median } from './lib/stats'

/**
 * Sargalay variants under the same load, in alternation, on SQLite:
 * `bun bench/compare.ts [--rounds=8] [--seconds=3] NAME=SPEC …`. A SPEC is a directory (another
 * checkout, such as a `git worktree` of the commit to compare against), or VAR=value pairs
 * joined by commas (another configuration), or empty (this checkout as it is). Each round
 * loads every variant in turn with wrk (50 connections), in a rotated order, and reads its
 * threads' CPU time. CPU per request moves far less with this machine's spells than requests
 * per second do, so a difference of a few µs shows over eight rounds.
 */

interface Variant {
  name: string
  checkout?: string
  env: Record<string, string>
}

interface Run {
  variant: Variant
  pid: number
  spec: LoadSpec
  /** CPU µs per request of the main thread and of the whole process, and requests a second. */
  main: number[]
  all: number[]
  rps: number[]
}

const option = (name: string, fallback: number) =>
  Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback)

function parseVariant(arg: string): Variant {
  const at = arg.indexOf('=')
  if (at <= 0) throw new Error(`expected NAME=SPEC, got ${arg}`)
  const name = arg.slice(0, at)
  const spec = arg.slice(at + 1)
  if (spec === '') return { name, env: {} }
  if (!spec.includes('=')) {
    const checkout = resolve(spec)
    if (!existsSync(join(checkout, 'src/index.ts'))) throw new Error(`${spec}: not a checkout`)
    return { name, checkout, env: {} }
  }
  const env = Object.fromEntries(spec.split(',').map((pair) => pair.split(/=(.*)/s, 2)))
  return { name, env }
}

if (!hasWrk) throw new Error('bench/compare.ts needs wrk (Debian package wrk)')
const variants = process.argv
  .slice(2)
  .filter((arg) => !arg.startsWith('--'))
  .map(parseVariant)
if (variants.length < 2) throw new Error('usage: bun bench/compare.ts A= B=../other-checkout …')
const rounds = option('rounds', 8)
const seconds = option('seconds', 3)

const tmp = mkdtempSync(join(tmpdir(), 'sargalay-compare-'))
const servers: ServerProcess[] = []
try {
  const upstream = await spawnServer({
    cmd: [process.execPath, 'bench/servers/upstream.ts'],
    readyPath: '/models',
  })
  servers.push(upstream)

  const runs: Run[] = []
  for (const variant of variants) {
    const server = await startSargalay({
      databaseUrl: join(tmp, `${variant.name}.db`),
      dataDir: join(tmp, variant.name),
      upstreamUrl: upstream.url,
      env: variant.env,
      checkout: variant.checkout,
    })
    servers.push(server)
    const { key } = await provisionAccount(server.url)
    const spec: LoadSpec = {
      url: `${server.url}/v1/chat/completions`,
      method: 'POST',
      body: chatBody,
      auth: `Bearer ${key}`,
      connections: 50,
      seconds,
    }
    await load({ ...spec, seconds: 2 }, 'wrk')
    runs.push({ variant, pid: server.pid, spec, main: [], all: [], rps: [] })
  }

  for (let round = 0; round < rounds; round++) {
    const order = runs.map((_, i) => runs[(i + round) % runs.length]!)
    for (const run of order) {
      const before = threadTimes(run.pid)
      const result = await load(run.spec, 'wrk')
      const deltas = threadDeltas(before, threadTimes(run.pid))
      const perRequest = (seconds: number) => (seconds / result.requests) * 1e6
      const main = deltas.filter(({ thread }) => isMainThread(thread))
      run.main.push(perRequest(main.reduce((sum, { seconds }) => sum + seconds, 0)))
      run.all.push(perRequest(deltas.reduce((sum, { seconds }) => sum + seconds, 0)))
      run.rps.push(result.rps)
    }
  }

  console.log('CPU µs per request (main thread; whole process) and requests a second, by round')
  for (const run of runs) {
    const row = (values: number[]) => values.map((value) => value.toFixed(0)).join(' ')
    console.log(
      `${run.variant.name}: main ${median(run.main).toFixed(1)} [${row(run.main)}]; ` +
        `process ${median(run.all).toFixed(1)}; ` +
        `req/s ${median(run.rps).toFixed(0)} [${row(run.rps)}]`,
    )
  }
} finally {
  for (const server of servers.reverse()) await server.stop().catch(() => {})
  rmSync(tmp, { recursive: true, force: true })
}
process.exit(0)
