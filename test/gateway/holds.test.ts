import { describe, expect, test } from 'bun:test'
import { UNITS_PER_MMK } from '../../src/ledger/money'
import { audit } from '../support/ledger'
import { demoCharge, expectedUnits, gatewayTest, until, stoppedAfterEach } from './support'

const start = stoppedAfterEach()

const answerWith = (usage: object) => ({
  id: 'gen-1',
  object: 'chat.completion',
  created: 1,
  model: 'demo/swift-chat',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'ok' } }],
  usage,
})

/** The hold for a body at swift-chat prices: a token per 3 bytes of body plus the cap. */
const swiftHold = (body: string, maxTokens: number) =>
  expectedUnits(BigInt(Math.ceil(body.length / 3)) * 150n + BigInt(maxTokens) * 600n)

describe('holds', () => {
  test(
    '100 concurrent requests against a balance ' + 'covering 5: 5 run, the rest are refused',
    async () => {
      let open!: () => void
      const gate = new Promise<void>((resolve) => (open = resolve))
      let arrived = 0
      const upstream = start.upstream(async () => {
        arrived++
        await gate
        return Response.json(
          answerWith({ prompt_tokens: 20, completion_tokens: 50, cost: 0.000033 }),
        )
      })
      const body = JSON.stringify({
        model: 'demo/swift-chat',
        messages: [{ role: 'user', content: 'count to fifty' }],
        max_tokens: 100,
      })
      const hold = swiftHold(body, 100)
      const env = await start.gateway({ upstream: upstream.target, balanceMmk: 0 })
      const balance = 5 * hold + hold - 1
      await env.services.ledger.credit({
        accountId: env.accountId,
        amountUnits: balance,
        reason: 'topup',
        reference: 'five-and-a-bit',
      })
      const server = start.listen(env)

      let answered = 0
      const sending = Array.from({ length: 100 }, async () => {
        const response = await fetch(`${server.baseUrl}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${env.key}`, 'content-type': 'application/json' },
          body,
        })
        answered++
        return response.status
      })
      await until(() => answered === 95 && arrived === 5, 10_000)
      const heldWhileWaiting = env.held()
      open()
      const statuses = await Promise.all(sending)

      const charge = expectedUnits(33_000n)
      expect(heldWhileWaiting).toBe(5 * hold)
      expect(statuses.filter((status) => status === 200)).toHaveLength(5)
      expect(statuses.filter((status) => status === 402)).toHaveLength(95)
      expect(arrived).toBe(5)
      expect(env.balance()).toBe(balance - 5 * charge)
      expect(env.balance()).toBeGreaterThanOrEqual(0)
      expect(await audit(env.services)).toEqual([])
    },
  )

  test(
    'the only overdraft: one request costing more ' + 'than its own hold is charged in full, once',
    async () => {
      const upstream = start.upstream(() =>
        Response.json(answerWith({ prompt_tokens: 5000, completion_tokens: 10, cost: 0.000756 })),
      )
      const body = JSON.stringify({
        model: 'demo/swift-chat',
        messages: [{ role: 'user', content: 'a prompt the estimate undercounts' }],
        max_tokens: 10,
      })
      const hold = swiftHold(body, 10)
      const env = await start.gateway({ upstream: upstream.target, balanceMmk: 0 })
      await env.services.ledger.credit({
        accountId: env.accountId,
        amountUnits: hold,
        reason: 'topup',
        reference: 'exactly-one-hold',
      })

      const first = await env.post('/v1/chat/completions', body)
      const second = await env.post('/v1/chat/completions', {
        model: 'demo/free-chat:free',
        messages: [{ role: 'user', content: 'free?' }],
      })

      const charge = expectedUnits(756_000n)
      expect(first.status).toBe(200)
      expect(env.balance()).toBe(hold - charge)
      expect(-env.balance()).toBe(charge - hold)
      expect(second.status).toBe(402)
      expect(await audit(env.services)).toEqual([])
    },
  )

  test(
    'without max_tokens the hold covers the default allowance, ' + 'which the upstream is held to',
    async () => {
      const env = await start.gateway({ balanceMmk: 1, env: { DEFAULT_MAX_TOKENS: '1000' } })
      const body = JSON.stringify({
        model: 'demo/deep-chat',
        messages: [{ role: 'user', content: 'hi' }],
      })

      const response = await env.post('/v1/chat/completions', body)

      const needed = expectedUnits(BigInt(Math.ceil(body.length / 3)) * 3000n + 1000n * 15_000n)
      expect(response.status).toBe(402)
      expect((await response.json()).error.message).toContain(
        `needs up to ${needed / UNITS_PER_MMK} MMK but your available balance is 1 MMK`,
      )
    },
  )

  test('each of n choices may write the whole cap, so the hold covers n of them', async () => {
    const ask = (n: unknown) =>
      JSON.stringify({
        model: 'demo/swift-chat',
        messages: [{ role: 'user', content: 'three ways to say hello' }],
        max_tokens: 100,
        n,
      })
    const threeHold = swiftHold(ask(3), 300)
    const env = await start.gateway({ balanceMmk: 0 })
    await env.services.ledger.credit({
      accountId: env.accountId,
      amountUnits: threeHold - 1,
      reason: 'topup',
      reference: 'not-quite-three',
    })

    const three = await env.post('/v1/chat/completions', ask(3))
    const one = await env.post('/v1/chat/completions', ask(1))
    const bad = await env.post('/v1/chat/completions', ask(0))

    expect(three.status).toBe(402)
    expect(one.status).toBe(200)
    expect(bad.status).toBe(400)
    expect((await bad.json()).error).toMatchObject({ param: 'n', code: 'invalid_type' })
    expect(await audit(env.services)).toEqual([])
  })

  test('with both max_tokens and max_completion_tokens, the larger is held', async () => {
    const body = JSON.stringify({
      model: 'demo/swift-chat',
      messages: [{ role: 'user', content: 'which cap binds?' }],
      max_completion_tokens: 10,
      max_tokens: 300,
    })
    const env = await start.gateway({ balanceMmk: 0 })
    await env.services.ledger.credit({
      accountId: env.accountId,
      amountUnits: swiftHold(body, 300) - 1,
      reason: 'topup',
      reference: 'short-of-the-larger-cap',
    })

    const response = await env.post('/v1/chat/completions', body)

    expect(response.status).toBe(402)
  })

  test(
    'a model without a published price holds the ' + 'fixed amount and bills the reported cost',
    async () => {
      const env = await start.gateway({ balanceMmk: 2500 })
      const ask = { model: 'demo/auto', messages: [{ role: 'user', content: 'route me' }] }

      const response = await env.post('/v1/chat/completions', ask)
      const answer = await response.json()

      const { prompt_tokens, completion_tokens } = answer.usage
      const charge = demoCharge('demo/auto', prompt_tokens, completion_tokens)
      expect(answer.usage.cost_mmk).toBe(charge / UNITS_PER_MMK)
      expect(env.balance()).toBe(2500 * UNITS_PER_MMK - charge)
      expect(await audit(env.services)).toEqual([])
    },
  )

  test(
    'an unpriced model whose cost is not ' + 'reported is charged its hold, never nothing',
    async () => {
      const upstream = start.upstream(() =>
        Response.json(answerWith({ prompt_tokens: 10, completion_tokens: 10 })),
      )
      const env = await start.gateway({
        upstream: upstream.target,
        balanceMmk: 2500,
        env: { UNKNOWN_PRICE_HOLD_MMK: '2000' },
      })
      const small = await gatewayTest({ balanceMmk: 100 })

      const response = await env.post('/v1/chat/completions', {
        model: 'demo/auto',
        messages: [{ role: 'user', content: 'x' }],
      })
      const refused = await small.post('/v1/chat/completions', {
        model: 'demo/auto',
        messages: [{ role: 'user', content: 'x' }],
      })
      await small.close()

      expect((await response.json()).usage.cost_mmk).toBe(2000)
      expect(env.balance()).toBe(500 * UNITS_PER_MMK)
      expect(refused.status).toBe(402)
      expect(await audit(env.services)).toEqual([])
    },
  )

  test('tokens reported without a cost are charged at catalog prices', async () => {
    const upstream = start.upstream(() =>
      Response.json(answerWith({ prompt_tokens: 40, completion_tokens: 25 })),
    )
    const env = await start.gateway({ upstream: upstream.target })
    const before = env.balance()

    await env.post('/v1/chat/completions', {
      model: 'demo/swift-chat',
      messages: [{ role: 'user', content: 'x' }],
    })

    expect(before - env.balance()).toBe(demoCharge('demo/swift-chat', 40, 25))
    expect(await audit(env.services)).toEqual([])
  })
})
