import { usdToNano } from '../ledger/money'
import type { UpstreamTarget } from '../services'
import type { ReportedUsage } from './usage'

export interface LookupOptions {
  tries: number
  /** First wait between tries; doubles each time. */
  delayMs: number
  /** Ends the lookup early (shutdown). */
  signal: AbortSignal
  /** Longest wait for one answer. */
  timeoutMs: number
}

type Json = Record<string, unknown>

/**
 * The upstream's own record of a generation (`GET /generation?id=`), as usage. The record
 * appears a little after the answer ends, so a 404 or a failure is retried with backoff.
 * Null when it never turns up.
 */
export async function lookupGeneration(
  target: UpstreamTarget,
  id: string,
  options: LookupOptions,
): Promise<ReportedUsage | null> {
  const url = `${target.baseUrl}/generation?id=${encodeURIComponent(id)}`
  const headers: Record<string, string> = target.apiKey
    ? { authorization: `Bearer ${target.apiKey}` }
    : {}

  for (let attempt = 0; attempt < options.tries; attempt++) {
    if (attempt > 0 && !(await pause(options.delayMs * 2 ** (attempt - 1), options.signal))) {
      return null
    }
    const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)])
    const found = await fetchRecord(url, headers, signal)
    if (options.signal.aborted) return null
    if (found !== 'retry') return found
  }
  return null
}

async function fetchRecord(url: string, headers: Record<string, string>, signal: AbortSignal) {
  try {
    const response = await fetch(url, { headers, signal })
    if (response.status === 404 || response.status >= 500) {
      await response.body?.cancel()
      return 'retry'
    }
    if (!response.ok) return null
    return usageOfRecord((await response.json()) as Json)
  } catch {
    return 'retry'
  }
}

function usageOfRecord(body: Json): ReportedUsage | null {
  const data = (typeof body.data === 'object' && body.data !== null ? body.data : {}) as Json
  const cost = data.total_cost ?? data.usage
  const tokens = (value: unknown) => (typeof value === 'number' && value >= 0 ? value : 0)
  const costNano = typeof cost === 'number' ? usdToNano(cost) : null
  if (costNano === null) return null
  return {
    promptTokens: tokens(data.tokens_prompt),
    completionTokens: tokens(data.tokens_completion),
    costNano,
  }
}

/** Waits `ms`; false when the signal ended the wait. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false)
  return new Promise((resolve) => {
    const done = (finished: boolean) => {
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      resolve(finished)
    }
    const onAbort = () => done(false)
    const timer = setTimeout(() => done(true), ms)
    signal.addEventListener('abort', onAbort)
  })
}
