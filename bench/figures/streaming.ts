import {
  chatTargets,
  rotated,
  setStreamShape,
  streamBody,
  type Bench,
  type Gateway,
} from '../lib/bench'
import { streamOnce, streams, type StreamSample, type Target } from '../lib/clients'
import { memoryOf, resetPeak } from '../lib/processes'
import { figure, type Figure } from '../lib/report'
import { quantile } from '../lib/stats'

const p99 = (samples: number[]) => quantile(samples, 0.99)

/**
 * Time to first chunk and per-chunk transit (arrival minus the upstream's send stamp), straight
 * from the upstream and through Sargalay, interleaved; the gateway's share is the difference.
 */
export async function streamLatencyFigures(bench: Bench, gateway: Gateway): Promise<Figure[]> {
  const { perRound, concurrency, chunks, delayMs } = bench.sizes.streams
  await setStreamShape(bench, { chunks, delayMs })
  const targets = chatTargets(bench, gateway, streamBody)
  const names = ['direct', 'bare', 'sargalay'] as const
  const samples = { direct: [], bare: [], sargalay: [] } as Record<
    (typeof names)[number],
    StreamSample[]
  >
  for (const name of names) await streams(targets[name], concurrency, concurrency)

  for (let round = 0; round < bench.sizes.rounds; round++) {
    for (const name of rotated([...names], round)) {
      samples[name].push(...(await streams(targets[name], perRound, concurrency)))
    }
  }

  type Name = (typeof names)[number]
  const ttfcs = (name: Name) => samples[name].map((s) => s.ttfcMs)
  // The first chunk's transit belongs to the time-to-first-chunk figure.
  const transits = (name: Name) => samples[name].flatMap((s) => s.transitMs.slice(1))
  // Time to first chunk in two legs: until the upstream stamps its first chunk (the request
  // reaching it, and the upstream's own start), and that chunk's way back.
  const requestLegs = (name: Name) => samples[name].map((s) => s.ttfcMs - s.transitMs[0]!)
  const firstTransits = (name: Name) => samples[name].map((s) => s.transitMs[0]!)
  const byName = (q: number, of: (name: Name) => number[]) =>
    Object.fromEntries(names.map((name) => [name, quantile(of(name), q)]))
  const ttfc = (name: Name) => p99(ttfcs(name))
  const transit = (name: Name) => p99(transits(name))

  const whole = names.every((name) =>
    samples[name].every((s) => s.complete && s.transitMs.length === chunks),
  )
  const shape = { streams: samples.direct.length, concurrency, chunks, delayMs }
  return [
    figure(
      bench.sizes,
      'stream_ttfc_added_p99_ms',
      ttfc('sargalay') - ttfc('direct'),
      {
        ...shape,
        p99Ms: byName(0.99, ttfcs),
        p50Ms: byName(0.5, ttfcs),
        requestLegP50Ms: byName(0.5, requestLegs),
        firstChunkTransitP50Ms: byName(0.5, firstTransits),
      },
      { holds: whole, bareProxy: ttfc('bare') - ttfc('direct') },
    ),
    figure(
      bench.sizes,
      'stream_chunk_added_p99_ms',
      transit('sargalay') - transit('direct'),
      { ...shape, transitP99Ms: byName(0.99, transits), transitP50Ms: byName(0.5, transits) },
      { holds: whole, bareProxy: transit('bare') - transit('direct') },
    ),
  ]
}

/**
 * Many streams opened at once. None may wait behind a concurrency limit: at some moment every
 * stream must be open and flowing at the same time (the streams last longer than it takes to
 * open them all; behind Bun's default limit no more than 256 would be), and every one must end
 * with `[DONE]`.
 */
export async function concurrentStreamsFigure(bench: Bench, gateway: Gateway): Promise<Figure> {
  const { count, chunks, delayMs } = bench.sizes.concurrentStreams
  await setStreamShape(bench, { chunks, delayMs })
  const nominalMs = (chunks - 1) * delayMs
  const { direct, sargalay } = chatTargets(bench, gateway, streamBody)

  const reference = await burst(direct, count)
  const pid = gateway.server.pid
  const peakReset = resetPeak(pid)
  let sampledPeakMb = memoryOf(pid).rssMb
  const sampler = setInterval(() => {
    sampledPeakMb = Math.max(sampledPeakMb, memoryOf(pid).rssMb)
  }, 20)
  const run = await burst(sargalay, count).finally(() => clearInterval(sampler))

  const peakMb = peakReset ? memoryOf(pid).peakMb : sampledPeakMb
  return figure(
    bench.sizes,
    'concurrent_streams_peak_rss_mb',
    peakMb,
    {
      streams: count,
      completed: run.completed,
      mostOpenAtOnce: run.mostOpen,
      nominalStreamMs: nominalMs,
      maxTtfcMs: run.maxTtfcMs,
      elapsedMs: run.elapsedMs,
      directElapsedMs: reference.elapsedMs,
      directMaxTtfcMs: reference.maxTtfcMs,
      peakFrom: peakReset ? 'VmHWM after clear_refs' : 'VmRSS sampled every 20 ms',
    },
    { holds: run.completed === count && run.mostOpen === count },
  )
}

async function burst(target: Target, count: number) {
  const started = performance.now()
  const samples = await Promise.all(
    Array.from({ length: count }, () => streamOnce(target).catch(() => undefined)),
  )
  const whole = samples.filter((s) => s?.complete) as StreamSample[]
  return {
    elapsedMs: performance.now() - started,
    completed: whole.length,
    maxTtfcMs: Math.max(...whole.map((s) => s.ttfcMs)),
    mostOpen: mostAtOnce(whole),
  }
}

/** The most streams that were between their first chunk and their end at the same moment. */
function mostAtOnce(samples: StreamSample[]) {
  const events = samples.flatMap((s) => [
    { at: s.firstAt, change: 1 },
    { at: s.endAt, change: -1 },
  ])
  events.sort((a, b) => a.at - b.at || a.change - b.change)
  let open = 0
  let most = 0
  for (const event of events) {
    open += event.change
    most = Math.max(most, open)
  }
  return most
}
