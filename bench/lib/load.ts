import { quantile } from './stats'

/** What a load run measured: requests per second and latency in milliseconds. */
export interface LoadResult {
  tool: 'wrk' | 'bun'
  rps: number
  p50Ms: number
  p99Ms: number
  requests: number
  errors: number
}

export interface LoadSpec {
  url: string
  method?: 'GET' | 'POST'
  body?: string
  auth?: string
  connections: number
  seconds: number
}

const script = new URL('./wrk-report.lua', import.meta.url).pathname

/** True when wrk is installed; without it the suite falls back to a Bun load client. */
export const hasWrk = Bun.which('wrk') !== null

export async function load(spec: LoadSpec, tool: 'wrk' | 'bun'): Promise<LoadResult> {
  const result = tool === 'wrk' ? await wrk(spec) : await bunLoad(spec)
  if (result.errors > 0 || result.requests === 0) {
    throw new Error(`${spec.url}: ${result.errors} errors in ${result.requests} requests`)
  }
  return result
}

async function wrk(spec: LoadSpec): Promise<LoadResult> {
  const threads = Math.min(2, spec.connections)
  const child = Bun.spawn(
    ['wrk', `-t${threads}`, `-c${spec.connections}`, `-d${spec.seconds}s`, '-s', script, spec.url],
    {
      env: {
        ...process.env,
        BENCH_METHOD: spec.method ?? 'GET',
        BENCH_BODY: spec.body ?? '',
        BENCH_AUTH: spec.auth ?? '',
      },
      stdout: 'pipe',
      stderr: 'pipe',
    },
  )
  const output = await new Response(child.stdout).text()
  await child.exited
  const line = /BENCH_JSON (.*)/.exec(output)
  if (!line) throw new Error(`wrk printed no result: ${output}`)
  const raw = JSON.parse(line[1]!) as Record<string, number>
  return {
    tool: 'wrk',
    rps: raw.requests! / (raw.duration_us! / 1e6),
    p50Ms: raw.p50_us! / 1000,
    p99Ms: raw.p99_us! / 1000,
    requests: raw.requests!,
    errors: raw.errors!,
  }
}

/** A closed-loop client: each connection sends its next request when the last one ends. */
async function bunLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = []
  let errors = 0
  const headers: Record<string, string> = {}
  if (spec.body) headers['content-type'] = 'application/json'
  if (spec.auth) headers.authorization = spec.auth
  const started = performance.now()
  const deadline = started + spec.seconds * 1000

  const connection = async () => {
    while (performance.now() < deadline) {
      const sent = performance.now()
      const response = await fetch(spec.url, { method: spec.method, headers, body: spec.body })
      await response.arrayBuffer()
      if (response.ok) latencies.push(performance.now() - sent)
      else errors++
    }
  }
  await Promise.all(Array.from({ length: spec.connections }, connection))

  const elapsed = (performance.now() - started) / 1000
  return {
    tool: 'bun',
    rps: latencies.length / elapsed,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    requests: latencies.length + errors,
    errors,
  }
}
