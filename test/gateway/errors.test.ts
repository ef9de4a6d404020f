import { describe, expect, test } from 'bun:test'
import { audit } from '../support/ledger'
import { OPERATOR_KEY, type GatewayTest, stoppedAfterEach } from './support'

const start = stoppedAfterEach()

const ask = { model: 'demo/swift-chat', messages: [{ role: 'user', content: 'hello' }] }
const apiError = (type: string, code: string | null, param: string | null = null) => ({
  error: { message: expect.any(String), type, param, code },
})

/** Sends `body` and returns status, body and headers; proves nothing was charged or held. */
async function refused(test: GatewayTest, body: unknown, headers?: Record<string, string>) {
  const before = test.balance()
  const response = await test.post('/v1/chat/completions', body, headers)
  const answer = { status: response.status, body: await response.json(), headers: response.headers }
  expect(test.balance()).toBe(before)
  expect(test.held()).toBe(0)
  expect(await audit(test.services)).toEqual([])
  return answer
}

describe('requests refused before forwarding', () => {
  test('a missing, unknown or revoked key is refused with 401', async () => {
    const env = await start.gateway()
    const refusal = [401, apiError('invalid_request_error', 'invalid_api_key')]

    const missing = await refused(env, ask, { authorization: '' })
    const unknown = await refused(env, ask, { authorization: 'Bearer sk-sg-not-a-key' })
    const working = await env.post('/v1/chat/completions', ask)
    await env.services.keys.revoke(env.keyId)
    const revoked = await refused(env, ask)

    expect([missing.status, missing.body]).toEqual(refusal)
    expect([unknown.status, unknown.body]).toEqual(refusal)
    expect(working.status).toBe(200)
    expect([revoked.status, revoked.body]).toEqual(refusal)
  })

  test('malformed JSON and missing or wrong fields are 400', async () => {
    const env = await start.gateway()

    const answers = [
      await refused(env, '{"model": "demo/swift-chat", '),
      await refused(env, '[1, 2]'),
      await refused(env, { messages: ask.messages }),
      await refused(env, { model: 'demo/swift-chat' }),
      await refused(env, { ...ask, messages: [] }),
      await refused(env, { ...ask, max_tokens: 0 }),
      await refused(env, { ...ask, stream: 'yes' }),
      await refused(env, { ...ask, models: ['a', 'b'] }),
    ]

    expect(
      answers.map((answer) => [answer.status, answer.body.error.code, answer.body.error.param]),
    ).toEqual([
      [400, 'invalid_json', null],
      [400, 'invalid_json', null],
      [400, 'missing_required_parameter', 'model'],
      [400, 'missing_required_parameter', 'messages'],
      [400, 'invalid_type', 'messages'],
      [400, 'invalid_type', 'max_tokens'],
      [400, 'invalid_type', 'stream'],
      [400, 'unsupported_parameter', 'models'],
    ])
  })

  test('an unknown model is 404 model_not_found, a model of the wrong kind 400', async () => {
    const env = await start.gateway()

    const unknown = await refused(env, { ...ask, model: 'nobody/nothing' })
    const embedding = await refused(env, { ...ask, model: 'demo/embed-small' })

    expect([unknown.status, unknown.body]).toEqual([
      404,
      apiError('invalid_request_error', 'model_not_found', 'model'),
    ])
    expect([embedding.status, embedding.body.error.code]).toEqual([400, 'model_not_supported'])
  })

  test('a body over the limit is 413, by its declared length or by counting', async () => {
    const upstream = start.upstream(() => Response.json({}))
    const env = await start.gateway({ upstream: upstream.target, env: { MAX_BODY_BYTES: '2048' } })
    const big = JSON.stringify({ ...ask, messages: [{ role: 'user', content: 'x'.repeat(4000) }] })
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big))
        controller.close()
      },
    })

    const declared = await refused(env, big)
    const counted = await env.app.handle(
      new Request('http://localhost/v1/chat/completions', {
        method: 'POST',
        headers: { authorization: `Bearer ${env.key}` },
        body: chunked,
      }),
    )

    expect([declared.status, declared.body.error.code]).toEqual([413, 'request_too_large'])
    expect([counted.status, (await counted.json()).error.code]).toEqual([413, 'request_too_large'])
    expect(upstream.seen).toEqual([])
  })

  test(
    'a balance that cannot cover the hold is 402 ' + 'insufficient_quota and nothing is forwarded',
    async () => {
      const upstream = start.upstream(() => Response.json({}))
      const env = await start.gateway({ upstream: upstream.target, balanceMmk: 1 })

      const answer = await refused(env, { ...ask, model: 'demo/deep-chat', max_tokens: 1000 })

      expect(answer.status).toBe(402)
      expect(answer.body).toEqual(apiError('insufficient_quota', 'insufficient_quota'))
      expect(answer.body.error.message).toMatch(
        /needs up to 81\.\d+ MMK but your available balance is 1 MMK/,
      )
      expect(answer.headers.get('x-should-retry')).toBe('false')
      expect(upstream.seen).toEqual([])
    },
  )
})

describe('upstream errors before the first byte', () => {
  const cases: [string, number, object, Record<string, string>, number, string, string][] = [
    [
      'its bad request',
      400,
      { error: { code: 400, message: 'Bad max_tokens' } },
      {},
      400,
      'invalid_request_error',
      '',
    ],
    [
      'the operator key rejected',
      401,
      { error: { code: 401, message: 'No auth' } },
      {},
      503,
      'service_unavailable_error',
      'upstream_unavailable',
    ],
    [
      'the operator out of credit',
      402,
      { error: { code: 402, message: 'Needs credits' } },
      {},
      503,
      'service_unavailable_error',
      'upstream_unavailable',
    ],
    [
      'moderation',
      403,
      { error: { code: 403, message: 'Flagged' } },
      {},
      403,
      'invalid_request_error',
      'content_policy_violation',
    ],
    [
      'a rate limit',
      429,
      { error: { code: 429, message: 'Slow down' } },
      { 'retry-after': '7' },
      429,
      'rate_limit_error',
      'rate_limit_exceeded',
    ],
    [
      'a provider failure',
      502,
      { error: { code: 502, message: 'Down' } },
      {},
      502,
      'api_error',
      'upstream_error',
    ],
    [
      'no provider',
      503,
      { error: { code: 503, message: 'None' } },
      {},
      503,
      'api_error',
      'upstream_error',
    ],
    [
      'an upstream timeout',
      408,
      { error: { code: 408, message: 'Slow' } },
      {},
      504,
      'timeout_error',
      'upstream_timeout',
    ],
    [
      'a 200 carrying an error',
      200,
      { error: { code: 429, message: 'Later' } },
      {},
      429,
      'rate_limit_error',
      'rate_limit_exceeded',
    ],
  ]

  for (const [what, status, body, headers, expected, type, code] of cases) {
    test(
      `${what} (${status}) answers ${expected} ${code || type}, ` +
        'releases the hold and charges nothing',
      async () => {
        const upstream = start.upstream(() => Response.json(body, { status, headers }))
        const env = await start.gateway({ upstream: upstream.target })

        const answer = await refused(env, ask)

        expect(answer.status).toBe(expected)
        expect(answer.body.error.type).toBe(type)
        if (code) expect(answer.body.error.code).toBe(code)
        if (expected === 429)
          expect(answer.headers.get('retry-after')).toBe(status === 429 ? '7' : '5')
        expect(JSON.stringify(answer.body)).not.toMatch(/credits|No auth/)
        expect(await env.usage()).toMatchObject([{ status: 'error', chargedUnits: 0 }])
      },
    )
  }

  test('response headers that never come are a 504', async () => {
    const upstream = start.upstream(() => new Promise(() => {}))
    const env = await start.gateway({
      upstream: upstream.target,
      env: { UPSTREAM_HEADERS_TIMEOUT_MS: '150' },
    })

    const answer = await refused(env, ask)

    expect([answer.status, answer.body]).toEqual([
      504,
      apiError('timeout_error', 'upstream_timeout'),
    ])
    expect(await env.usage()).toMatchObject([{ status: 'timeout', chargedUnits: 0 }])
  })

  test('an upstream nobody answers at is a 502', async () => {
    const upstream = start.upstream(() => Response.json({}))
    const env = await start.gateway({ upstream: upstream.target })
    env.services.upstream.baseUrl = 'http://127.0.0.1:1/api/v1'

    const answer = await refused(env, ask)

    expect([answer.status, answer.body]).toEqual([502, apiError('api_error', 'upstream_error')])
    expect(await env.usage()).toMatchObject([{ status: 'upstream_error', chargedUnits: 0 }])
  })

  test(
    'an operator key problem is logged for the operator, ' + 'never shown to the client',
    async () => {
      const upstream = start.upstream(() =>
        Response.json({ error: { code: 401, message: 'Bad key' } }, { status: 401 }),
      )
      const env = await start.gateway({ upstream: upstream.target })

      await refused(env, ask)

      expect(env.logs.some((line) => line.includes('upstream_rejected_operator'))).toBe(true)
      expect(env.logs.join('\n')).not.toContain(OPERATOR_KEY)
    },
  )
})
