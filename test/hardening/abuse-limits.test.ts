import { afterEach, describe, expect, test } from 'bun:test'
import { nextDayStart } from '../../src/http/key-limits'
import type { ManualClock } from '../../src/lib/clock'
import {
  gatewayTest,
  localUpstream,
  sse,
  type GatewayTest,
  type LocalUpstream,
} from '../gateway/support'
import { Browser } from '../portal/support'
import { ADMIN_KEY, buildTestApp, type TestApp } from '../support/app'
import { audit } from '../support/ledger'

let env: GatewayTest | TestApp | undefined
let upstream: LocalUpstream | undefined
let stopServer: (() => unknown) | undefined

afterEach(async () => {
  await stopServer?.()
  await env?.close()
  await upstream?.stop()
  env = upstream = stopServer = undefined
})

const chat = {
  model: 'demo/swift-chat',
  messages: [{ role: 'user', content: 'hi' }],
  max_tokens: 5,
}

async function answer(response: Response) {
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: await response.json(),
  }
}

describe('per-key limits on /v1', () => {
  test(
    'requests per minute: the next one is a 429 in ' +
      'OpenAI form with Retry-After, other keys go on',
    async () => {
      const test_ = await gatewayTest({ env: { KEY_REQUESTS_PER_MINUTE: '3' } })
      env = test_
      const other = await test_.services.keys.create(test_.accountId, 'other')

      const allowed = [
        await test_.post('/v1/chat/completions', chat),
        await test_.post('/v1/chat/completions', chat),
        await test_.post('/v1/chat/completions', chat),
      ].map((response) => response.status)
      const refused = await answer(await test_.post('/v1/chat/completions', chat))
      const otherKey = await test_.post('/v1/chat/completions', chat, {
        authorization: `Bearer ${other.key}`,
      })
      ;(test_.clock as ManualClock).advance(20_000)
      const later = await test_.post('/v1/chat/completions', chat)

      expect(allowed).toEqual([200, 200, 200])
      expect(refused).toEqual({
        status: 429,
        retryAfter: '20',
        body: {
          error: {
            message: 'This API key is limited to 3 requests per minute.',
            type: 'rate_limit_error',
            param: null,
            code: 'rate_limit_exceeded',
          },
        },
      })
      expect([otherKey.status, later.status]).toEqual([200, 200])
      expect(await audit(test_.services)).toEqual([])
    },
  )

  test(
    'requests at once: a third stream waits its turn, ' + 'and a finished one frees its slot',
    async () => {
      const gates: (() => void)[] = []
      upstream = localUpstream(async () => {
        await new Promise<void>((resolve) => gates.push(resolve))
        return new Response(sse({ choices: [] }, '[DONE]' as never), {
          headers: { 'content-type': 'text/event-stream' },
        })
      })
      const test_ = await gatewayTest({
        upstream: upstream.target,
        env: { KEY_CONCURRENT_REQUESTS: '2', GENERATION_LOOKUP_TRIES: '0' },
      })
      env = test_
      const streamed = { ...chat, stream: true }

      const first = test_.post('/v1/chat/completions', streamed)
      const second = test_.post('/v1/chat/completions', streamed)
      await waitFor(() => gates.length === 2)
      const third = await answer(await test_.post('/v1/chat/completions', streamed))
      gates.shift()!()
      await (await first).text()
      // The slot is freed when the stream's settlement is done, the moment its log line is written.
      await waitFor(() => test_.logs.some((line) => line.includes('"status":200')))
      const fourth = test_.post('/v1/chat/completions', streamed)
      await waitFor(() => gates.length === 2)
      for (const open of gates.splice(0)) open()
      const rest = await Promise.all(
        [second, fourth].map(async (pending) => {
          const response = await pending
          await response.text()
          return response.status
        }),
      )

      expect([third.status, third.retryAfter, third.body.error.code]).toEqual([
        429,
        '1',
        'rate_limit_exceeded',
      ])
      expect(rest).toEqual([200, 200])
      await waitFor(() => test_.held() === 0)
      expect(await audit(test_.services)).toEqual([])
    },
  )

  test(
    'a daily spend cap stops new requests until ' + 'the next Myanmar day, without retries',
    async () => {
      const test_ = await gatewayTest()
      env = test_
      await test_.services.keys.setCaps(test_.keyId, { dailyCapUnits: 1, monthlyCapUnits: null })
      const clock = test_.clock as ManualClock

      const first = await test_.post('/v1/chat/completions', chat)
      const capped = await test_.post('/v1/chat/completions', chat)
      const waitSeconds = Math.ceil((nextDayStart(clock.now()) - clock.now()) / 1000)
      clock.advance(waitSeconds * 1000)
      const nextDay = await test_.post('/v1/chat/completions', chat)

      expect(first.status).toBe(200)
      expect({
        status: capped.status,
        retryAfter: capped.headers.get('retry-after'),
        shouldRetry: capped.headers.get('x-should-retry'),
        code: (await capped.json()).error.code,
      }).toEqual({
        status: 429,
        retryAfter: String(waitSeconds),
        shouldRetry: 'false',
        code: 'spend_cap_reached',
      })
      expect(nextDay.status).toBe(200)
    },
  )

  test('a monthly cap counts what the key spent before a restart', async () => {
    const test_ = await gatewayTest()
    env = test_
    await test_.post('/v1/chat/completions', chat)
    await test_.services.ledger.flush()
    await test_.services.keys.setCaps(test_.keyId, { dailyCapUnits: null, monthlyCapUnits: 1 })
    ;(test_.clock as ManualClock).advance(1)
    const restarted = await buildTestApp({ database: test_.database, clock: test_.clock })

    const capped = await restarted.app.handle(
      new Request('http://localhost/v1/chat/completions', {
        method: 'POST',
        headers: { authorization: `Bearer ${test_.key}`, 'content-type': 'application/json' },
        body: JSON.stringify(chat),
      }),
    )
    await restarted.close()

    expect([capped.status, (await capped.json()).error.code]).toEqual([429, 'spend_cap_reached'])
  })
})

describe('per-address limits', () => {
  async function listening(env_: Record<string, string>) {
    const test_ = await buildTestApp({ env: env_ })
    env = test_
    const server = test_.app.listen({ port: 0, hostname: '127.0.0.1' })
    stopServer = () => server.stop(true)
    return { test_, origin: `http://127.0.0.1:${server.server!.port}` }
  }

  /**
   * The admin key sign-in form, as a browser would post it. It shares its limit with local
   * sign-in, which refuses forwarded requests outright, so it shows the limit's own workings.
   */
  async function signInForm(origin: string) {
    const page = await fetch(`${origin}/console/signin`)
    const cookie = page.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ')
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!
    return (forwardedFor?: string, to = origin) =>
      new Request(`${to}/console/signin`, {
        method: 'POST',
        redirect: 'manual',
        headers: {
          cookie,
          origin: to,
          'content-type': 'application/x-www-form-urlencoded',
          ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}),
        },
        body: new URLSearchParams({ key: ADMIN_KEY, _csrf: token }),
      })
  }

  test(
    'sign-in: past the limit a translated 429 page with ' +
      'Retry-After; X-Forwarded-For ignored by default',
    async () => {
      const { test_, origin } = await listening({ SIGNIN_PER_MINUTE_PER_ADDRESS: '2' })
      const form = await signInForm(origin)
      const signIn = (forwardedFor: string) => fetch(form(forwardedFor))

      const statuses = [(await signIn('1.1.1.1')).status, (await signIn('2.2.2.2')).status]
      const refused = await signIn('3.3.3.3')
      // Without a socket (app.handle) the address is unknown: another client, its own allowance.
      const socketless = await test_.app.handle(form(undefined, 'http://localhost'))

      expect(statuses).toEqual([303, 303])
      expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '30'])
      expect(await refused.text()).toContain('Too many requests. Wait a moment and try again.')
      expect(socketless.status).toBe(303)
    },
  )

  test(
    'sign-in: with TRUST_FORWARDED_FOR each ' + 'forwarded client has its own allowance',
    async () => {
      const { origin } = await listening({
        SIGNIN_PER_MINUTE_PER_ADDRESS: '1',
        TRUST_FORWARDED_FOR: 'true',
      })
      const form = await signInForm(origin)
      const signIn = (forwardedFor: string) => fetch(form(forwardedFor))

      const statuses = [
        (await signIn('10.0.0.1, 1.1.1.1')).status,
        (await signIn('10.0.0.1, 2.2.2.2')).status,
        (await signIn('9.9.9.9, 1.1.1.1')).status,
      ]

      expect(statuses).toEqual([303, 303, 429])
    },
  )

  test(
    'webhook: past the limit a 429 in OpenAI form ' + 'with Retry-After, before any signature work',
    async () => {
      const { test_, origin } = await listening({ WEBHOOKS_PER_MINUTE_PER_ADDRESS: '2' })
      const post = () =>
        fetch(`${origin}/webhooks/mmpay`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"orderId":"x"}',
        })

      const statuses = [(await post()).status, (await post()).status]
      const refused = await answer(await post())

      expect(statuses).toEqual([401, 401])
      expect(refused).toEqual({
        status: 429,
        retryAfter: '30',
        body: {
          error: {
            message: 'Too many payment callbacks; try again later.',
            type: 'rate_limit_error',
            param: null,
            code: 'rate_limit_exceeded',
          },
        },
      })
      expect(await audit(test_.services)).toEqual([])
    },
  )
})

describe('top-up creation per address', () => {
  test('past the limit a translated 429 page with Retry-After, and no order is made', async () => {
    const test_ = await buildTestApp({ env: { TOPUPS_PER_MINUTE_PER_ADDRESS: '2' } })
    env = test_
    const account = await test_.services.accounts.create({ name: 'Su Su' })
    const browser = new Browser(test_)
    await browser.signInAs(account)
    await browser.get('/topup')

    const statuses = [
      (await browser.post('/topup', { preset: '5000' })).status,
      (await browser.post('/topup', { preset: '5000' })).status,
    ]
    const refused = await browser.post('/topup', { preset: '5000' })
    const orders = await test_.services.payments.orders.listForAccount(account.id)

    expect(statuses).toEqual([303, 303])
    expect([refused.status, refused.headers.get('retry-after')]).toEqual([429, '30'])
    expect(refused.text).toContain('Too many requests. Wait a moment and try again.')
    expect(orders.length).toBe(2)
  })
})

async function waitFor(condition: () => boolean, ms = 5000) {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await Bun.sleep(2)
  }
}
