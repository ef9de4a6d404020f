import type { Target } from './clients'
import type { ServerProcess } from './processes'

/** How big each measurement is; `--smoke` runs the same steps with tiny sizes. */
export interface Sizes {
  rounds: number
  latencyPairs: number
  loadSeconds: number
  /** A first unmeasured run per load target, so the JIT is warm; 0 skips it. */
  warmupSeconds: number
  connections: number
  streams: { perRound: number; concurrency: number; chunks: number; delayMs: number }
  concurrentStreams: { count: number; chunks: number; delayMs: number }
  models: number
  modelRequests: number
  searches: number
  seed: { accounts: number; usageRows: number }
  portalRequests: number
  /** How long the seeded server sits before its idle memory is read. */
  idleMs: number
}

export const FULL: Sizes = {
  rounds: 3,
  latencyPairs: 1000,
  loadSeconds: 5,
  warmupSeconds: 2,
  connections: 50,
  streams: { perRound: 300, concurrency: 10, chunks: 20, delayMs: 5 },
  concurrentStreams: { count: 2000, chunks: 11, delayMs: 400 },
  models: 400,
  modelRequests: 1000,
  searches: 2000,
  seed: { accounts: 100_000, usageRows: 1_000_000 },
  portalRequests: 100,
  idleMs: 3000,
}

export const SMOKE: Sizes = {
  rounds: 1,
  latencyPairs: 30,
  loadSeconds: 1,
  warmupSeconds: 0,
  connections: 10,
  streams: { perRound: 10, concurrency: 5, chunks: 5, delayMs: 2 },
  concurrentStreams: { count: 50, chunks: 3, delayMs: 200 },
  models: 400,
  modelRequests: 30,
  searches: 100,
  seed: { accounts: 200, usageRows: 2000 },
  portalRequests: 10,
  idleMs: 200,
}

/** What every figure can use: the sizes, the load tool, and the servers of the floor. */
export interface Bench {
  sizes: Sizes
  tool: 'wrk' | 'bun'
  upstream: ServerProcess
  bare: ServerProcess
  tmp: string
  /** Set by `--profile=DIR`: every Sargalay runs under the CPU profiler. */
  profileDir?: string
  log(message: string): void
}

/** A running Sargalay and the API key of its benchmark account. */
export interface Gateway {
  server: ServerProcess
  key: string
  accountId: string
}

const prompt = [{ role: 'user', content: 'Say hello in Burmese.' }]
export const chatBody = JSON.stringify({
  model: 'bench/fast-model',
  messages: prompt,
  max_tokens: 16,
})
export const streamBody = JSON.stringify({
  model: 'bench/fast-model',
  messages: prompt,
  max_tokens: 16,
  stream: true,
})

/** The same chat request sent straight to the upstream, through the bare proxy, or Sargalay. */
export function chatTargets(bench: Bench, gateway: Gateway, body = chatBody) {
  const path = '/chat/completions'
  const direct: Target = { url: bench.upstream.url + path, method: 'POST', body }
  const bare: Target = { url: bench.bare.url + path, method: 'POST', body }
  const sargalay: Target = {
    url: `${gateway.server.url}/v1${path}`,
    method: 'POST',
    body,
    auth: `Bearer ${gateway.key}`,
  }
  return { direct, bare, sargalay }
}

/** The upstream's stream shape for the next requests. */
export async function setStreamShape(bench: Bench, shape: { chunks: number; delayMs: number }) {
  const response = await fetch(`${bench.upstream.url}/__bench/shape`, {
    method: 'POST',
    body: JSON.stringify(shape),
  })
  if (!response.ok) throw new Error(`the upstream refused the stream shape: ${response.status}`)
}

/** Round r visits the items rotated by r, so no item always runs first or last. */
export function rotated<T>(items: T[], round: number): T[] {
  const shift = round % items.length
  return [...items.slice(shift), ...items.slice(0, shift)]
}
