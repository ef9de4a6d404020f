/** One way to call a server: where, and with what request. */
export interface Target {
  url: string
  method?: 'GET' | 'POST'
  body?: string
  auth?: string
  headers?: Record<string, string>
}

export const wallClock = () => performance.timeOrigin + performance.now()

// Redirects are not followed: a portal page that sends us to /signin must count as a failure.
function init(target: Target): RequestInit {
  const headers: Record<string, string> = { ...target.headers }
  if (target.body) headers['content-type'] = 'application/json'
  if (target.auth) headers.authorization = target.auth
  return { method: target.method ?? 'GET', headers, body: target.body, redirect: 'manual' }
}

/** Milliseconds for one whole request and its body; throws on a non-2xx answer. */
export async function timeOnce(target: Target): Promise<number> {
  const sent = performance.now()
  const response = await fetch(target.url, init(target))
  await response.arrayBuffer()
  const elapsed = performance.now() - sent
  if (!response.ok) throw new Error(`${target.url} answered ${response.status}`)
  return elapsed
}

/**
 * Sequential requests, one at a time, to every target in turn, rotating which goes first, so
 * each sample of one target has a neighbour of every other taken under the same conditions.
 * Returns the latencies of each target in the order of `targets`.
 */
export async function sequential(targets: Target[], count: number): Promise<number[][]> {
  const latencies = targets.map(() => [] as number[])
  const warmup = Math.min(200, count)
  for (const target of targets) for (let i = 0; i < warmup; i++) await timeOnce(target)

  for (let i = 0; i < count; i++) {
    for (let j = 0; j < targets.length; j++) {
      const index = (i + j) % targets.length
      latencies[index]!.push(await timeOnce(targets[index]!))
    }
  }
  return latencies
}

/** One streamed answer as the client saw it. */
export interface StreamSample {
  /** From sending the request to the first content chunk. */
  ttfcMs: number
  /** For every content chunk: arrival minus the upstream's stamped send time. */
  transitMs: number[]
  /** Whether the stream ended with `[DONE]`. */
  complete: boolean
  /** When the first content chunk arrived and when the stream ended (`performance.now()`). */
  firstAt: number
  endAt: number
}

const stamp = /"content":"@(\d+\.\d+) /

export async function streamOnce(target: Target): Promise<StreamSample> {
  const sent = performance.now()
  const response = await fetch(target.url, init(target))
  if (!response.ok || !response.body) throw new Error(`${target.url} answered ${response.status}`)
  const decoder = new TextDecoder()
  const sample: StreamSample = {
    ttfcMs: Number.NaN,
    transitMs: [],
    complete: false,
    firstAt: Number.NaN,
    endAt: Number.NaN,
  }
  let pending = ''

  const reader = response.body.getReader()
  while (true) {
    const { value: bytes, done } = await reader.read()
    if (done) break
    const arrived = wallClock()
    const arrivedPerf = performance.now()
    pending += decoder.decode(bytes, { stream: true })
    const events = pending.split('\n\n')
    pending = events.pop()!
    for (const event of events) {
      if (event.includes('data: [DONE]')) sample.complete = true
      const match = stamp.exec(event)
      if (!match) continue
      if (sample.transitMs.length === 0) {
        sample.ttfcMs = arrivedPerf - sent
        sample.firstAt = arrivedPerf
      }
      sample.transitMs.push(arrived - Number(match[1]))
    }
  }
  sample.endAt = performance.now()
  return sample
}

/** `total` streams, `concurrency` at a time. */
export async function streams(target: Target, total: number, concurrency: number) {
  const samples: StreamSample[] = []
  let next = 0
  const worker = async () => {
    while (next < total) {
      next++
      samples.push(await streamOnce(target))
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker))
  return samples
}
