/** The q-th quantile (0..1) of samples by the nearest-rank method; NaN when there are none. */
export function quantile(samples: number[], q: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.ceil(q * sorted.length)
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!
}

export const median = (samples: number[]) => quantile(samples, 0.5)

/** Rounds for display and JSON: three significant digits are all a noisy machine can give. */
export function round(value: number): number {
  if (!Number.isFinite(value)) return value
  return Number(value.toPrecision(3))
}

export async function freePort(): Promise<number> {
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() })
  const port = probe.port!
  await probe.stop(true)
  return port
}
