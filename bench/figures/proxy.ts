import { chatTargets, rotated, type Bench, type Gateway } from '../lib/bench'
import { sequential } from '../lib/clients'
import { load, type LoadResult } from '../lib/load'
import { figure, type Figure } from '../lib/report'
import { balanceMmk } from '../lib/sargalay'
import { median } from '../lib/stats'

/** Added latency: sequential requests alternating direct, bare proxy and Sargalay. */
export async function latencyFigure(bench: Bench, gateway: Gateway): Promise<Figure> {
  const { direct, bare, sargalay } = chatTargets(bench, gateway)
  const added: number[] = []
  const bareAdded: number[] = []
  const rounds: Record<string, number>[] = []

  for (let round = 0; round < bench.sizes.rounds; round++) {
    const [d, b, s] = await sequential([direct, bare, sargalay], bench.sizes.latencyPairs)
    const roundAdded = s!.map((ms, i) => ms - d![i]!)
    const roundBare = b!.map((ms, i) => ms - d![i]!)
    added.push(...roundAdded)
    bareAdded.push(...roundBare)
    rounds.push({
      directMs: median(d!),
      bareMs: median(b!),
      sargalayMs: median(s!),
      addedMs: median(roundAdded),
    })
  }

  return figure(
    bench.sizes,
    'added_latency_ms',
    median(added),
    { pairs: added.length, rounds },
    { bareProxy: median(bareAdded) },
  )
}

/**
 * Non-streaming load at N connections on the bare proxy and on Sargalay over SQLite and
 * PostgreSQL, interleaved round by round; each ratio is taken within a round.
 */
export async function loadFigures(bench: Bench, sqlite: Gateway, pg: Gateway): Promise<Figure[]> {
  const spec = (target: ReturnType<typeof chatTargets>['bare']) => ({
    ...target,
    connections: bench.sizes.connections,
    seconds: bench.sizes.loadSeconds,
  })
  const runs = {
    bare: spec(chatTargets(bench, sqlite).bare),
    sqlite: spec(chatTargets(bench, sqlite).sargalay),
    pg: spec(chatTargets(bench, pg).sargalay),
  }
  const names = Object.keys(runs) as (keyof typeof runs)[]
  const warmup = bench.sizes.warmupSeconds
  if (warmup > 0)
    for (const name of names) await load({ ...runs[name], seconds: warmup }, bench.tool)

  const before = await Promise.all([sqlite, pg].map((g) => balanceMmk(g.server.url, g.accountId)))
  const rounds: Record<keyof typeof runs, LoadResult>[] = []
  for (let round = 0; round < bench.sizes.rounds; round++) {
    const results = {} as Record<keyof typeof runs, LoadResult>
    for (const name of rotated(names, round)) {
      bench.log(`  load round ${round + 1}: ${name}`)
      results[name] = await load(runs[name], bench.tool)
    }
    rounds.push(results)
  }

  const after = await Promise.all([sqlite, pg].map((g) => balanceMmk(g.server.url, g.accountId)))
  const ratio = (pick: (r: Record<keyof typeof runs, LoadResult>) => number) =>
    median(rounds.map(pick))
  const detail = {
    connections: bench.sizes.connections,
    secondsEach: bench.sizes.loadSeconds,
    tool: bench.tool,
    // Billing was on: the measured requests were charged to the account.
    chargedMmk: { sqlite: before[0]! - after[0]!, pg: before[1]! - after[1]! },
    rounds: rounds.map((r) =>
      Object.fromEntries(
        names.map((n) => [n, { rps: r[n].rps, p50Ms: r[n].p50Ms, p99Ms: r[n].p99Ms }]),
      ),
    ),
  }
  return [
    figure(
      bench.sizes,
      'throughput_ratio_sqlite',
      ratio((r) => r.sqlite.rps / r.bare.rps),
      detail,
    ),
    figure(
      bench.sizes,
      'throughput_ratio_pg',
      ratio((r) => r.pg.rps / r.bare.rps),
      detail,
    ),
    figure(
      bench.sizes,
      'p99_ratio',
      ratio((r) => r.sqlite.p99Ms / r.bare.p99Ms),
      detail,
    ),
  ]
}
