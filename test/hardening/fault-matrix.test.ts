import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { gatewayTest, listen, until, type GatewayTest } from '../gateway/support'
import { holdUnits } from '../../src/gateway/hold'
import { audit } from '../support/ledger'
import { RawUpstream, UPSTREAM_KEY, type Scenario } from './support/raw-upstream'

// Each case runs against a raw TCP upstream and the real app on a socket; after each one the
// server must still answer, the hold must be back, the audit clean and the charge as written
// in the README's "Reliability" table.

const MODEL = 'demo/swift-chat'
const sseEvent = (body: object) => `data: ${JSON.stringify(body)}\n\n`
const chunk = (content: string) =>
  sseEvent({
    id: 'gen-x',
    object: 'chat.completion.chunk',
    created: 1,
    model: MODEL,
    choices: [{ index: 0, delta: { content }, finish_reason: null }],
  })
const usageChunk = sseEvent({
  id: 'gen-x',
  object: 'chat.completion.chunk',
  created: 1,
  model: MODEL,
  choices: [],
  usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11, cost: 0.00001 },
})
const completion = (usage?: object) =>
  JSON.stringify({
    id: 'gen-x',
    object: 'chat.completion',
    created: 1,
    model: MODEL,
    choices: [
      { index: 0, message: { role: 'assistant', content: 'Mingalaba' }, finish_reason: 'stop' },
    ],
    ...(usage ? { usage } : {}),
  })

let env: GatewayTest
let raw: RawUpstream
let server: ReturnType<typeof listen>

beforeAll(async () => {
  raw = new RawUpstream()
  env = await gatewayTest({
    upstream: raw.target,
    balanceMmk: 1000,
    env: {
      UPSTREAM_HEADERS_TIMEOUT_MS: '300',
      STREAM_IDLE_TIMEOUT_MS: '300',
      GENERATION_LOOKUP_TRIES: '0',
    },
  })
  server = listen(env)
})

afterAll(async () => {
  await server.stop()
  await env.close()
  raw.stop()
})

interface Outcome {
  status: number
  /** The whole answer as the client read it, or what it read before the connection broke. */
  text: string
  cut: boolean
  retryAfter: string | null
  charged: number
  usageStatus: string
  /** What the request held: the most a late-settled request may cost. */
  hold: number
}

async function run(scenario: Scenario, stream: boolean): Promise<Outcome> {
  raw.scenario = scenario
  const seen = new Set((await usageRows()).map((row) => row.id))
  const body = JSON.stringify({
    model: MODEL,
    messages: [{ role: 'user', content: 'hi' }],
    max_tokens: 100,
    stream,
  })
  const response = await fetch(`${server.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${env.key}`, 'content-type': 'application/json' },
    body,
  })
  let text = ''
  let cut = false
  try {
    text = await response.text()
  } catch {
    cut = true
  }
  await until(() => env.held() === 0 && env.services.ledger.openHolds().length === 0)
  // The test clock stands still, so the new usage row is told apart by its id, not its time.
  const fresh = async () => (await usageRows()).filter((row) => !seen.has(row.id))
  await until(async () => (await fresh()).length > 0)
  const [row] = await fresh()
  return {
    status: response.status,
    text,
    cut,
    retryAfter: response.headers.get('retry-after'),
    charged: row!.chargedUnits,
    usageStatus: row!.status,
    hold: holdUnits({
      model: env.services.catalog.get(MODEL)!,
      bodyBytes: Buffer.byteLength(body),
      maxTokens: 100,
      factors: env.services.pricing.current(),
      unknownPriceHoldMmk: env.services.config.UNKNOWN_PRICE_HOLD_MMK,
    }),
  }
}

async function usageRows() {
  await env.services.ledger.flush()
  return env.services.db.orm.select().from(env.services.db.t.usageRecords)
}

function parsed(text: string) {
  try {
    return JSON.parse(text)
  } catch {
    return { unreadable: text }
  }
}

const errorOf = (text: string) => JSON.parse(text).error as { type: string; code: string }

/** The last `data:` event of a stream, parsed, and whether `[DONE]` ended it. */
function streamEnd(text: string) {
  const events = text
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice(6))
  const done = events.at(-1) === '[DONE]'
  const last = done ? events.at(-2) : events.at(-1)
  return { done, last: last ? parsed(last) : null, count: events.length }
}

async function expectHealthy() {
  const health = await fetch(`${server.baseUrl}/healthz`)
  expect(health.status).toBe(200)
  expect(await audit(env.services)).toEqual([])
}

describe('upstream fault matrix over real sockets', () => {
  test('5xx before any answer: 502 upstream_error, nothing charged', async () => {
    const outcome = await run(
      (reply) => reply.whole(500, '{"error":{"code":500,"message":"boom"}}'),
      false,
    )

    expect([outcome.status, errorOf(outcome.text), outcome.charged]).toEqual([
      502,
      expect.objectContaining({ type: 'api_error', code: 'upstream_error' }),
      0,
    ])
    await expectHealthy()
  })

  test(
    '429 with Retry-After: 429 rate_limit_exceeded ' + 'with the same Retry-After, nothing charged',
    async () => {
      const outcome = await run(
        (reply) =>
          reply.whole(429, '{"error":{"code":429,"message":"slow down"}}', { 'retry-after': '7' }),
        false,
      )

      expect([
        outcome.status,
        errorOf(outcome.text).code,
        outcome.retryAfter,
        outcome.charged,
      ]).toEqual([429, 'rate_limit_exceeded', '7', 0])
      await expectHealthy()
    },
  )

  test(
    'no response headers in time: 504 upstream_timeout, ' +
      'the upstream call is dropped, nothing charged',
    async () => {
      const closedBefore = raw.closedByPeer

      const outcome = await run(() => {}, false)

      expect([outcome.status, errorOf(outcome.text), outcome.charged, outcome.usageStatus]).toEqual(
        [
          504,
          expect.objectContaining({ type: 'timeout_error', code: 'upstream_timeout' }),
          0,
          'timeout',
        ],
      )
      await until(() => raw.closedByPeer > closedBefore)
      await expectHealthy()
    },
  )

  test(
    'a stream that stalls: the client gets what came and ' +
      'an error event, charged an estimate within the hold',
    async () => {
      const outcome = await run((reply) => {
        reply.startChunked('text/event-stream')
        reply.chunk(chunk('Min'))
      }, true)
      const end = streamEnd(outcome.text)

      expect([outcome.status, outcome.cut, end.done, outcome.usageStatus]).toEqual([
        200,
        false,
        false,
        'timeout',
      ])
      expect(end.last.error).toEqual(expect.objectContaining({ code: expect.any(String) }))
      expect(outcome.charged).toBeGreaterThan(0)
      expect(outcome.charged).toBeLessThanOrEqual(outcome.hold)
      await expectHealthy()
    },
  )

  test(
    'a connection reset mid-stream: the stream ends cleanly ' +
      'with an error event, charged an estimate within the hold',
    async () => {
      const outcome = await run((reply) => {
        reply.startChunked('text/event-stream')
        reply.chunk(chunk('Min') + chunk('ga'))
        reply.reset()
      }, true)
      const end = streamEnd(outcome.text)

      expect([outcome.status, outcome.cut, end.done]).toEqual([200, false, false])
      expect(end.last.error).toEqual(expect.objectContaining({ code: expect.any(String) }))
      expect(outcome.charged).toBeGreaterThan(0)
      expect(outcome.charged).toBeLessThanOrEqual(outcome.hold)
      await expectHealthy()
    },
  )

  // Found by this matrix: ordinary chunks were relayed unparsed, so a broken one reached the
  // client as it came and OpenAI's SDK raised a SyntaxError. A chunk that is not a whole
  // object now goes the parsed way and becomes an error event.
  test(
    'malformed SSE: no unreadable event reaches the client, ' +
      'an error event does, charged within the hold',
    async () => {
      const outcome = await run((reply) => {
        reply.startChunked('text/event-stream')
        reply.chunk(chunk('Min'))
        reply.chunk('data: {"broken\n\nevent: ???\ndata\u0000: \xff\n\n')
        reply.chunk(new Uint8Array([0xff, 0xfe, 0x0a, 0x0a]))
        reply.chunk('data: [DONE]\n\n')
        reply.endChunked()
      }, true)
      const errors = outcome.text.split('\n\n').filter((event) => event.includes('"error"'))

      expect([outcome.status, outcome.cut, outcome.text.includes('{"broken')]).toEqual([
        200,
        false,
        false,
      ])
      expect(errors.map((event) => JSON.parse(event.slice(6)).error.code)).toEqual([
        'upstream_error',
      ])
      expect(outcome.usageStatus).toBe('upstream_error')
      expect(outcome.charged).toBeGreaterThan(0)
      expect(outcome.charged).toBeLessThanOrEqual(outcome.hold)
      await expectHealthy()
    },
  )

  test('malformed JSON: 502 upstream_error, charged an estimate within the hold', async () => {
    const outcome = await run((reply) => reply.whole(200, '{"id":"gen-x","choices":[{'), false)

    expect([outcome.status, errorOf(outcome.text).code, outcome.usageStatus]).toEqual([
      502,
      'upstream_error',
      'upstream_error',
    ])
    expect(outcome.charged).toBeLessThanOrEqual(outcome.hold)
    await expectHealthy()
  })

  test('missing usage: the answer is relayed and charged an estimate within the hold', async () => {
    const outcome = await run((reply) => reply.whole(200, completion()), false)

    expect([outcome.status, JSON.parse(outcome.text).choices[0].message.content]).toEqual([
      200,
      'Mingalaba',
    ])
    expect(outcome.charged).toBeGreaterThan(0)
    expect(outcome.charged).toBeLessThanOrEqual(outcome.hold)
    await expectHealthy()
  })

  test(
    'missing usage in a stream: [DONE] reaches the client, ' +
      'charged an estimate within the hold',
    async () => {
      const outcome = await run((reply) => {
        reply.startChunked('text/event-stream')
        reply.chunk(chunk('Mingalaba'))
        reply.chunk('data: [DONE]\n\n')
        reply.endChunked()
      }, true)

      expect([outcome.status, streamEnd(outcome.text).done, outcome.usageStatus]).toEqual([
        200,
        true,
        'ok',
      ])
      expect(outcome.charged).toBeGreaterThan(0)
      expect(outcome.charged).toBeLessThanOrEqual(outcome.hold)
      await expectHealthy()
    },
  )

  test(
    'an enormous answer (over 64 MiB): 502 upstream_error, ' +
      'the process stays up, charged within the hold',
    async () => {
      const piece = 'x'.repeat(1024 * 1024)
      const outcome = await run((reply) => {
        reply.startChunked('application/json')
        reply.chunk('{"id":"gen-x","choices":[{"index":0,"message":{"role":"assistant","content":"')
        for (let i = 0; i < 66; i++) reply.chunk(piece)
        reply.chunk('"}}]}')
        reply.endChunked()
      }, false)

      expect([outcome.status, errorOf(outcome.text).code]).toEqual([502, 'upstream_error'])
      expect(outcome.charged).toBeLessThanOrEqual(outcome.hold)
      await expectHealthy()
    },
  )

  test('200 with an error body: the error is mapped (503 here), nothing charged', async () => {
    const outcome = await run(
      (reply) => reply.whole(200, '{"error":{"code":503,"message":"no provider"}}'),
      false,
    )

    expect([outcome.status, errorOf(outcome.text).code, outcome.charged]).toEqual([
      503,
      'upstream_error',
      0,
    ])
    await expectHealthy()
  })

  test(
    'a mid-stream error event: relayed as an OpenAI ' +
      'error event without [DONE], charged within the hold',
    async () => {
      const outcome = await run((reply) => {
        reply.startChunked('text/event-stream')
        reply.chunk(chunk('Min'))
        reply.chunk(
          sseEvent({
            id: 'gen-x',
            object: 'chat.completion.chunk',
            created: 1,
            model: MODEL,
            error: { code: 502, message: 'provider died' },
            choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
          }),
        )
        reply.endChunked()
      }, true)
      const end = streamEnd(outcome.text)

      expect([outcome.status, end.done, end.last.error?.code]).toEqual([
        200,
        false,
        'upstream_error',
      ])
      expect(outcome.charged).toBeLessThanOrEqual(outcome.hold)
      await expectHealthy()
    },
  )

  test('a stream asked for but an answer without a body: 502, within the hold', async () => {
    const outcome = await run(
      (reply) => reply.whole(204, '', { 'content-type': 'text/event-stream' }),
      true,
    )

    expect([outcome.status, errorOf(outcome.text).code]).toEqual([502, 'upstream_error'])
    expect(outcome.charged).toBeLessThanOrEqual(outcome.hold)
    expect(env.services.inFlight.count).toBe(0)
    await expectHealthy()
  })

  test('a normal stream with usage, for contrast: charged exactly, [DONE] at the end', async () => {
    const outcome = await run((reply) => {
      reply.startChunked('text/event-stream')
      reply.chunk(chunk('Mingalaba'))
      reply.chunk(usageChunk)
      reply.chunk('data: [DONE]\n\n')
      reply.endChunked()
    }, true)

    // 0.00001 USD × 4,500 MMK/USD × 1.2 = 0.054 MMK = 540 units.
    expect([outcome.status, streamEnd(outcome.text).done, outcome.charged]).toEqual([
      200,
      true,
      540,
    ])
    await expectHealthy()
  })

  test('the upstream key never reached a client in any answer above', () => {
    expect(raw.requests.every((request) => request.headers.includes(UPSTREAM_KEY))).toBe(true)
    expect(env.logs.join('\n')).not.toContain(UPSTREAM_KEY)
    expect(env.logs.join('\n')).not.toContain(env.key)
  })
})
