import type { Sizes } from './bench'
import type { FigureSpec } from './report'

const n = (value: number) => value.toLocaleString('en')

/** Every figure of issue 9 with its target, in the order of the table. */
export function targets(sizes: Sizes) {
  const c = sizes.connections
  const { accounts, usageRows } = sizes.seed
  const spec = (s: Omit<FigureSpec, 'id'>) => s

  return {
    added_latency_ms: spec({
      label: 'added latency, sequential: median of (gateway − direct)',
      unit: 'ms',
      bound: 'max',
      target: 0.25,
    }),
    throughput_ratio_sqlite: spec({
      label: `throughput at ${c} connections, non-streaming, SQLite: gateway / bare proxy`,
      unit: 'x',
      bound: 'min',
      target: 0.85,
    }),
    throughput_ratio_pg: spec({
      label: 'the same on PostgreSQL',
      unit: 'x',
      bound: 'min',
      target: 0.75,
    }),
    p99_ratio: spec({
      label: `p99 latency at ${c} connections (SQLite): gateway / bare proxy`,
      unit: 'x',
      bound: 'max',
      target: 1.3,
    }),
    stream_ttfc_added_p99_ms: spec({
      label: 'streaming: time to first chunk added by the gateway, p99',
      unit: 'ms',
      bound: 'max',
      target: 1,
    }),
    stream_chunk_added_p99_ms: spec({
      label: 'streaming: delay added to each chunk, p99',
      unit: 'ms',
      bound: 'max',
      target: 1,
    }),
    concurrent_streams_peak_rss_mb: spec({
      label:
        `${n(sizes.concurrentStreams.count)} concurrent streams: ` +
        'all complete, none queued; peak RSS',
      unit: 'MB',
      bound: 'max',
      target: 300,
    }),
    idle_rss_mb: spec({
      label: `RSS with ${n(accounts)} accounts and keys loaded, idle`,
      unit: 'MB',
      bound: 'max',
      target: 150,
    }),
    startup_ms: spec({
      label: `start-up with ${n(accounts)} accounts and ${n(usageRows)} usage rows`,
      unit: 'ms',
      bound: 'max',
      target: 2000,
    }),
    models_p99_ms: spec({
      label: `\`/v1/models\` p99 with ${sizes.models} models`,
      unit: 'ms',
      bound: 'max',
      target: 2,
    }),
    search_p99_ms: spec({
      label: `catalog search p99, ${sizes.models} models`,
      unit: 'ms',
      bound: 'max',
      target: 5,
    }),
    portal_dashboard_p95_ms: spec({
      label: `portal dashboard p95, ${n(usageRows)} usage rows, SQLite`,
      unit: 'ms',
      bound: 'max',
      target: 50,
    }),
    portal_usage_p95_ms: spec({
      label: `portal usage page p95, ${n(usageRows)} usage rows, SQLite`,
      unit: 'ms',
      bound: 'max',
      target: 50,
    }),
  }
}

export type FigureId = keyof ReturnType<typeof targets>
