import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chatBody, setStreamShape, streamBody, type Bench } from './lib/bench'
import { streams } from './lib/clients'
import { isMainThread, threadDeltas, threadTimes } from './lib/cpu'
import { hasWrk, load, type LoadSpec } from './lib/load'
import { spawnServer, type ServerProcess } from './lib/processes'
import { provisionAccount, startSargalay } from './lib/sargalay'
import { median, quantile } from './lib/stats'

/**
 * Sargalay variants under the same load, in alternation, on SQLite:
 * `bun bench/compare.ts [--streams] [--rounds=8] [--seconds=3] NAME=SPEC …`. A SPEC is a
 * directory (another checkout, such as a `git worktree` of the commit to compare against), or
 * VAR=value pairs joined by commas (another configuration), or empty (this checkout as it is).
 * Each round loads every variant in turn, in a rotated order, and reads its threads' CPU time:
 * with wrk (50 connections) per request, or with `--streams` (300 streamed answers of 21
 * chunks, ten at a time, as the suite's streaming figures) per upstream chunk, with the time
 * to the first chunk. CPU per unit of work moves far less with this machine's spells than
 * rates do, so a difference of a few µs shows over eight rounds.
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
  /** CPU µs per unit of work of the main thread and of the whole process, and units a second. */
  main: number[]
  all: number[]
  rate: number[]
  /** Streams only: each answer's time to its first chunk, ms. */
  ttfcMs: number[]
}

/** What one round of one variant did: units of work, over how many seconds. */
interface Measured {
  units: number
  seconds: number
  ttfcMs: number[]
}

const STREAM_SHAPE = { chunks: 20, delayMs: 5 }
/** The upstream's chunks per streamed answer: the content, then usage with `[DONE]`. */
const CHUNKS_PER_STREAM = STREAM_SHAPE.chunks + 1

async function loadOnce(spec: LoadSpec): Promise<Measured> {
  const result = await load(spec, 'wrk')
  return { units: result.requests, seconds: result.requests / result.rps, ttfcMs: [] }
}

async function streamsOnce(spec: LoadSpec): Promise<Measured> {
  const started = performance.now()
  const samples = await streams({ ...spec, body: streamBody }, 300, 10)
  return {
    units: samples.length * CHUNKS_PER_STREAM,
    seconds: (performance.now() - started) / 1000,
    ttfcMs: samples.map((sample) => sample.ttfcMs),
  }
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
const streaming = process.argv.includes('--streams')
const measure = streaming ? streamsOnce : loadOnce

const tmp = mkdtempSync(join(tmpdir(), 'sargalay-compare-'))
const servers: ServerProcess[] = []
try {
  const upstream = await spawnServer({
    cmd: [process.execPath, 'bench/servers/upstream.ts'],
    readyPath: '/models',
  })
  servers.push(upstream)
  if (streaming) await setStreamShape({ upstream } as Bench, STREAM_SHAPE)

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
    await (streaming ? streamsOnce(spec) : load({ ...spec, seconds: 2 }, 'wrk'))
    runs.push({ variant, pid: server.pid, spec, main: [], all: [], rate: [], ttfcMs: [] })
  }

  for (let round = 0; round < rounds; round++) {
    const order = runs.map((_, i) => runs[(i + round) % runs.length]!)
    for (const run of order) {
      const before = threadTimes(run.pid)
      const result = await measure(run.spec)
      const deltas = threadDeltas(before, threadTimes(run.pid))
      const perUnit = (seconds: number) => (seconds / result.units) * 1e6
      const main = deltas.filter(({ thread }) => isMainThread(thread))
      run.main.push(perUnit(main.reduce((sum, { seconds }) => sum + seconds, 0)))
      run.all.push(perUnit(deltas.reduce((sum, { seconds }) => sum + seconds, 0)))
      run.rate.push(result.units / result.seconds)
      run.ttfcMs.push(...result.ttfcMs)
    }
  }

  const unit = streaming ? 'upstream chunk' : 'request'
  console.log(`CPU µs per ${unit} (main thread; whole process) and ${unit}s a second, by round`)
  for (const run of runs) {
    const row = (values: number[]) => values.map((value) => value.toFixed(0)).join(' ')
    const ttfc = streaming
      ? `; first chunk p50 ${quantile(run.ttfcMs, 0.5).toFixed(2)} ms, ` +
        `p99 ${quantile(run.ttfcMs, 0.99).toFixed(2)} ms`
      : ''
    console.log(
      `${run.variant.name}: main ${median(run.main).toFixed(1)} [${row(run.main)}]; ` +
        `process ${median(run.all).toFixed(1)}; ` +
        `per second ${median(run.rate).toFixed(0)} [${row(run.rate)}]${ttfc}`,
    )
  }
} finally {
  for (const server of servers.reverse()) await server.stop().catch(() => {})
  rmSync(tmp, { recursive: true, force: true })
}
process.exit(0)
