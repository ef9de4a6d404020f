import { afterEach } from 'bun:test'
import OpenAI from 'openai'
import { demoModels, listedModel } from '../../src/gateway/demo/models'
import { UNITS_PER_MMK } from '../../src/ledger/money'
import type { Clock } from '../../src/lib/clock'
import type { UsageRecord } from '../../src/ledger/usage-queries'
import type { UpstreamTarget } from '../../src/services'
import { buildTestApp, type TestApp } from '../support/app'

export const OPERATOR_KEY = 'sk-or-v1-operator-secret-0123456789'

export interface GatewayTest extends TestApp {
  accountId: string
  keyId: string
  key: string
  /** The account's balance now, in ledger units. */
  balance(): number
  held(): number
  /** A POST to a `/v1` route through `app.handle`. */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>
  /** Every usage record, oldest first, once the ledger has written them. */
  usage(): Promise<UsageRecord[]>
}

export interface GatewayTestOptions {
  balanceMmk?: number
  clock?: Clock
  upstream?: UpstreamTarget
  env?: Record<string, string>
}

/** The app with the demo upstream (or `upstream`), one funded account and its key. */
export async function gatewayTest(options: GatewayTestOptions = {}): Promise<GatewayTest> {
  const test = await buildTestApp({
    upstream: options.upstream,
    clock: options.clock,
    env: { DEMO_STREAM_DELAY_MS: '0', GENERATION_LOOKUP_DELAY_MS: '0', ...options.env },
  })
  const { services } = test
  const account = await services.accounts.create({ name: 'Aung Aung' })
  const balanceMmk = options.balanceMmk ?? 1000
  if (balanceMmk > 0) {
    await services.ledger.credit({
      accountId: account.id,
      amountUnits: balanceMmk * UNITS_PER_MMK,
      reason: 'topup',
      reference: `test-topup-${account.id}`,
    })
  }
  const created = await services.keys.create(account.id, 'laptop')
  if (!(await services.catalog.whenReady(5000))) throw new Error('the catalog did not load')

  return {
    ...test,
    accountId: account.id,
    keyId: created.id,
    key: created.key,
    balance: () => services.ledger.fundsOf(account.id).balanceUnits,
    held: () => services.ledger.fundsOf(account.id).heldUnits,
    post: (path, body, headers = {}) =>
      test.app.handle(
        new Request(`http://localhost${path}`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${created.key}`,
            'content-type': 'application/json',
            ...headers,
          },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      ),
    usage: async () => {
      await services.ledger.flush()
      const t = services.db.t.usageRecords
      const rows = await services.db.orm.select().from(t)
      return rows.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
    },
  }
}

/** The app on a real socket, and an OpenAI SDK client pointed at it. */
export function listen(test: GatewayTest) {
  const server = test.app.listen({ port: 0, hostname: '127.0.0.1' })
  const baseUrl = `http://127.0.0.1:${server.server!.port}`
  const client = new OpenAI({ apiKey: test.key, baseURL: `${baseUrl}/v1`, maxRetries: 0 })
  return { baseUrl, client, stop: () => server.stop(true) }
}

/**
 * Starts the upstream, the app and its socket for one test, and stops them after each test:
 * the socket first, then the app, then the upstream, so no request outlives what it calls.
 * Call once at the top of a test file.
 */
export function stoppedAfterEach() {
  const started: {
    upstream?: LocalUpstream
    env?: GatewayTest
    server?: ReturnType<typeof listen>
  } = {}
  afterEach(async () => {
    await started.server?.stop()
    await started.env?.close()
    await started.upstream?.stop()
    started.env = started.upstream = started.server = undefined
  })
  return {
    upstream: (handle: UpstreamHandler) => (started.upstream = localUpstream(handle)),
    gateway: async (options?: GatewayTestOptions) => (started.env = await gatewayTest(options)),
    listen: (test: GatewayTest) => (started.server = listen(test)),
  }
}

export type UpstreamHandler = (request: Request, url: URL) => Response | Promise<Response>

export interface LocalUpstream {
  target: UpstreamTarget
  /** Every request the upstream received, besides model-list reads. */
  seen: { path: string; headers: Headers; body: string }[]
  stop(): Promise<void>
}

/** A purpose-built upstream: the demo's model lists, and `handle` for everything else. */
export function localUpstream(handle: UpstreamHandler): LocalUpstream {
  const seen: LocalUpstream['seen'] = []
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    fetch: async (request) => {
      const url = new URL(request.url)
      if (url.pathname.endsWith('/models')) return modelList(url.pathname)
      const body = request.method === 'POST' ? await request.text() : ''
      seen.push({ path: url.pathname + url.search, headers: request.headers, body })
      return handle(
        new Request(request.url, {
          method: request.method,
          body: body || null,
          headers: request.headers,
          signal: request.signal,
        }),
        url,
      )
    },
  })
  return {
    target: {
      baseUrl: `http://127.0.0.1:${server.port}/api/v1`,
      apiKey: OPERATOR_KEY,
      demo: false,
    },
    seen,
    stop: () => server.stop(true),
  }
}

function modelList(path: string) {
  const kind = path.endsWith('/embeddings/models') ? 'embedding' : 'chat'
  const data = demoModels.filter((m) => m.kind === kind).map((m) => listedModel(m, 1_764_547_200))
  return Response.json({ data, total_count: data.length, links: { next: null } })
}

/** Units for an upstream cost at the test rate (4,500 MMK/USD) and markup (1.2), rounded up. */
export function expectedUnits(costNanoUsd: bigint): number {
  // 4500 × 1.2 = 5400 MMK per USD; 10,000 units per MMK; 1e9 nano-USD per USD.
  const numerator = costNanoUsd * 5400n * 10_000n
  const denominator = 1_000_000_000n
  return Number((numerator + denominator - 1n) / denominator)
}

/** Nano-USD per token of the demo models, written out by hand from their price lists. */
export const demoNanoPerToken = {
  'demo/swift-chat': { prompt: 150n, completion: 600n },
  'demo/deep-chat': { prompt: 3000n, completion: 15000n },
  'demo/free-chat:free': { prompt: 0n, completion: 0n },
  'demo/auto': { prompt: 1000n, completion: 2000n },
  'demo/embed-small': { prompt: 20n, completion: 0n },
}

export function demoCharge(
  model: keyof typeof demoNanoPerToken,
  prompt: number,
  completion: number,
) {
  const price = demoNanoPerToken[model]
  return expectedUnits(BigInt(prompt) * price.prompt + BigInt(completion) * price.completion)
}

/**
 * An SSE body from events; each object becomes `data: …`, `[DONE]` becomes `data: [DONE]`, and
 * any other string is taken as the event's own lines.
 */
export function sse(...events: (string | object)[]) {
  const line = (e: string | object) =>
    typeof e !== 'string' ? `data: ${JSON.stringify(e)}` : e === '[DONE]' ? `data: ${e}` : e
  return events.map((e) => line(e) + '\n\n').join('')
}

export const sseHeaders = { 'content-type': 'text/event-stream' }

/** Waits for a condition, polling; fails after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 3000) {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await Bun.sleep(5)
  }
}
