import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { buildTestApp, admin, type TestApp } from '../support/app'
import { audit, usageRow } from '../support/ledger'

let env: TestApp

beforeEach(async () => {
  env = await buildTestApp()
})

afterEach(async () => {
  await env.close()
})

const createUser = async (name = 'Su Su', email?: string) =>
  (await admin(env.app, 'POST', '/admin/users', { name, email })).body

/** 100 MMK to a user under an Idempotency-Key. */
const creditWithKey = (userId: string, key: string) =>
  admin(
    env.app,
    'POST',
    `/admin/users/${userId}/credits`,
    { amount_mmk: 100, reason: 'x' },
    { 'idempotency-key': key },
  )

describe('admin API', () => {
  test('creates a user and reads it back', async () => {
    const created = await admin(env.app, 'POST', '/admin/users', {
      name: 'Su Su',
      email: 'su@example.com',
    })

    const read = await admin(env.app, 'GET', `/admin/users/${created.body.id}`)

    expect(created.status).toBe(201)
    expect(created.body).toEqual({
      id: expect.stringMatching(/^acc_/),
      name: 'Su Su',
      email: 'su@example.com',
      balance_mmk: 0,
    })
    expect(read.body).toEqual({ ...created.body, held_mmk: 0 })
  })

  test('user and key names are tidied as in the portal, and a blank one is 400', async () => {
    const tidied = await admin(env.app, 'POST', '/admin/users', { name: '  Ko \t Ko\n' })
    const blank = await admin(env.app, 'POST', '/admin/users', { name: ' \t ' })
    const blankKey = await admin(env.app, 'POST', `/admin/users/${tidied.body.id}/keys`, {
      name: '\u0007 ',
    })

    expect([tidied.status, tidied.body.name]).toEqual([201, 'Ko Ko'])
    for (const answer of [blank, blankKey]) {
      expect([answer.status, answer.body.error.param]).toEqual([400, 'name'])
    }
    expect(await env.services.keys.listForAccount(tidied.body.id)).toEqual([])
  })

  test('credits and debit adjustments move the balance through the ledger', async () => {
    const user = await createUser()

    const credit = await admin(env.app, 'POST', `/admin/users/${user.id}/credits`, {
      amount_mmk: 5000.25,
      reason: 'welcome',
    })
    const debit = await admin(env.app, 'POST', `/admin/users/${user.id}/credits`, {
      amount_mmk: -1000,
      reason: 'correction',
    })

    expect([credit.status, credit.body]).toEqual([200, { balance_mmk: 5000.25 }])
    expect([debit.status, debit.body]).toEqual([200, { balance_mmk: 4000.25 }])
    expect(await audit(env.services)).toEqual([])
  })

  test('an Idempotency-Key makes a retried credit apply once', async () => {
    const user = await createUser()
    const send = () => creditWithKey(user.id, 'abc-1')

    await send()
    const again = await send()

    expect(again.body).toEqual({ balance_mmk: 100 })
  })

  test('a reused Idempotency-Key answers its first balance, after later credits too', async () => {
    const user = await createUser()
    const send = () => creditWithKey(user.id, 'first-result')
    await send()
    await admin(env.app, 'POST', `/admin/users/${user.id}/credits`, {
      amount_mmk: 50,
      reason: 'later',
    })

    const again = await send()

    expect([again.status, again.body]).toEqual([200, { balance_mmk: 100 }])
    expect(env.services.ledger.fundsOf(user.id).balanceUnits).toBe(150 * 10_000)
  })

  test('an Idempotency-Key reused for another amount, user or reason gets 409', async () => {
    const user = await createUser()
    const other = await createUser('Mya Mya')
    const credit = (id: string, amount_mmk: number, reason = 'x') =>
      admin(
        env.app,
        'POST',
        `/admin/users/${id}/credits`,
        { amount_mmk, reason },
        { 'idempotency-key': 'once-only' },
      )
    await credit(user.id, 100)

    const answers = [
      await credit(user.id, 200),
      await credit(other.id, 100),
      await credit(user.id, 100, 'another reason'),
      await credit(user.id, -100),
    ]

    for (const answer of answers) {
      expect(answer.status).toBe(409)
      expect(answer.body.error).toMatchObject({
        code: 'idempotency_conflict',
        message: expect.stringMatching(/Idempotency-Key was used for another credit/),
      })
    }
    expect(env.services.ledger.fundsOf(user.id).balanceUnits).toBe(100 * 10_000)
    expect(env.services.ledger.fundsOf(other.id).balanceUnits).toBe(0)
    expect(await audit(env.services)).toEqual([])
  })

  test('an Idempotency-Key that is not 1-100 safe characters gets 400', async () => {
    const user = await createUser()

    const answer = await admin(
      env.app,
      'POST',
      `/admin/users/${user.id}/credits`,
      { amount_mmk: 100, reason: 'x' },
      { 'idempotency-key': 'x'.repeat(101) },
    )

    expect(answer.status).toBe(400)
    expect(answer.body.error.message).toMatch(/Idempotency-Key/)
    expect(env.services.ledger.fundsOf(user.id).balanceUnits).toBe(0)
  })

  test('a huge amount or cap gets a clear 400 naming its field', async () => {
    const user = await createUser()
    const key = (await admin(env.app, 'POST', `/admin/users/${user.id}/keys`, { name: 'ci' })).body

    const credit = await admin(env.app, 'POST', `/admin/users/${user.id}/credits`, {
      amount_mmk: 99999999999999999,
      reason: 'x',
    })
    const debit = await admin(env.app, 'POST', `/admin/users/${user.id}/credits`, {
      amount_mmk: -99999999999999999,
      reason: 'x',
    })
    const cap = await admin(env.app, 'PATCH', `/admin/keys/${key.id}`, {
      daily_cap_mmk: 99999999999999999,
    })

    for (const [answer, param] of [
      [credit, 'amount_mmk'],
      [debit, 'amount_mmk'],
      [cap, 'daily_cap_mmk'],
    ] as const) {
      expect(answer.status).toBe(400)
      expect(answer.body.error).toMatchObject({
        param,
        message: `${param} is too large: at most 100000000000 MMK either way.`,
      })
    }
    expect(env.services.ledger.fundsOf(user.id).balanceUnits).toBe(0)
    const noCaps = { dailyCapUnits: null, monthlyCapUnits: null }
    expect(env.services.keys.capsOf(key.id)).toEqual(noCaps)
  })

  test('creates a key shown once, and revoking it is immediate', async () => {
    const user = await createUser()

    const created = await admin(env.app, 'POST', `/admin/users/${user.id}/keys`, { name: 'laptop' })
    const found = env.services.keys.authenticate(created.body.key)
    const revoked = await admin(env.app, 'DELETE', `/admin/keys/${created.body.id}`)
    const revokedAgain = await admin(env.app, 'DELETE', `/admin/keys/${created.body.id}`)

    expect(created.status).toBe(201)
    expect(created.body.key).toMatch(/^sk-sg-[A-Za-z0-9_-]{43}$/)
    expect(found?.accountId).toBe(user.id)
    expect(revoked.status).toBe(204)
    expect(env.services.keys.authenticate(created.body.key)).toBeUndefined()
    expect(revokedAgain.status).toBe(404)
  })

  test('spend caps are set on a live key, kept in memory, and removed with null', async () => {
    const user = await createUser()
    const key = (await admin(env.app, 'POST', `/admin/users/${user.id}/keys`, { name: 'ci' })).body

    const set = await admin(env.app, 'PATCH', `/admin/keys/${key.id}`, { daily_cap_mmk: 500 })
    const more = await admin(env.app, 'PATCH', `/admin/keys/${key.id}`, {
      monthly_cap_mmk: 9000.5,
      daily_cap_mmk: null,
    })
    await admin(env.app, 'DELETE', `/admin/keys/${key.id}`)
    const revoked = await admin(env.app, 'PATCH', `/admin/keys/${key.id}`, { daily_cap_mmk: 1 })

    expect(set.body).toEqual({ id: key.id, daily_cap_mmk: 500, monthly_cap_mmk: null })
    expect(more.body).toEqual({ id: key.id, daily_cap_mmk: null, monthly_cap_mmk: 9000.5 })
    expect(revoked.status).toBe(404)
  })

  test('usage is listed newest first with MMK charges', async () => {
    const user = await createUser()
    await admin(env.app, 'POST', `/admin/users/${user.id}/credits`, {
      amount_mmk: 100,
      reason: 'x',
    })
    const { ledger } = env.services
    ledger.settle(
      ledger.placeHold(user.id, 10_000).id,
      5000,
      usageRow({ id: 'req_old', createdAt: 1000 }),
    )
    ledger.settle(
      ledger.placeHold(user.id, 10_000).id,
      7000,
      usageRow({ id: 'req_new', createdAt: 2000 }),
    )
    await ledger.flush()

    const usage = await admin(env.app, 'GET', `/admin/users/${user.id}/usage?limit=1`)

    expect(usage.body).toEqual({
      data: [
        {
          id: 'req_new',
          model: 'test/model',
          prompt_tokens: 10,
          completion_tokens: 20,
          charged_mmk: 0.7,
          status: 'ok',
          created_at: '1970-01-01T00:00:02.000Z',
        },
      ],
    })
  })

  test('settings are read and changed', async () => {
    const before = await admin(env.app, 'GET', '/admin/settings')

    const after = await admin(env.app, 'PATCH', '/admin/settings', { price_markup: 1.5 })

    expect(before.body).toEqual({ usd_to_mmk_rate: 4500, price_markup: 1.2 })
    expect(after.body).toEqual({ usd_to_mmk_rate: 4500, price_markup: 1.5 })
    expect(env.services.pricing.current().priceMarkup).toBe(1.5)
  })

  test('without the admin key nothing is answered', async () => {
    for (const authorization of [undefined, 'Bearer wrong-key-0123456789', 'Basic abc']) {
      const response = await env.app.handle(
        new Request('http://localhost/admin/settings', {
          headers: authorization ? { authorization } : {},
        }),
      )

      expect(response.status).toBe(401)
      expect(await response.json()).toEqual({
        error: {
          message: 'A valid admin key is required.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_admin_key',
        },
      })
    }
  })

  test('the admin key is checked before the body, so no key or a wrong one gets 401', async () => {
    const user = await createUser()
    const requests: [string, string, string | undefined][] = [
      ['POST', '/admin/users', '{"name":'],
      ['POST', '/admin/users', '{}'],
      ['POST', `/admin/users/${user.id}/credits`, '{"amount_mmk":"lots"}'],
      ['PATCH', '/admin/settings', '{"colour":"red"}'],
      ['GET', `/admin/users/${user.id}/usage?limit=abc`, undefined],
      ['POST', '/admin/topups/tp_x/credit', '{"amount_mmk":-1}'],
      ['GET', '/admin/nothing', undefined],
    ]

    for (const authorization of [undefined, 'Bearer wrong-key-0123456789']) {
      for (const [method, path, body] of requests) {
        const headers: Record<string, string> = { 'content-type': 'application/json' }
        if (authorization) headers.authorization = authorization
        const response = await env.app.handle(
          new Request(`http://localhost${path}`, { method, headers, body }),
        )

        expect([method, path, response.status]).toEqual([method, path, 401])
        expect((await response.json()).error.code).toBe('invalid_admin_key')
      }
    }
    expect(await env.services.accounts.get(user.id)).toMatchObject({ name: 'Su Su' })
  })

  test('every documented admin route refuses a request without the admin key', async () => {
    const adminRoutes = env.app.routes.filter((route) => route.path.startsWith('/admin'))

    for (const route of adminRoutes) {
      const path = route.path.replace(/:\w+/g, 'x')
      const response = await env.app.handle(
        new Request(`http://localhost${path}`, { method: route.method }),
      )

      expect([route.method, route.path, response.status]).toEqual([route.method, route.path, 401])
    }
    expect(adminRoutes.length).toBeGreaterThan(10)
  })

  describe('bad input gets a 4xx with a clear message and changes nothing', () => {
    const cases: [string, string, string, unknown, number, RegExp][] = [
      ['missing name', 'POST', '/admin/users', {}, 400, /name/],
      ['wrong type', 'POST', '/admin/users', { name: 7 }, 400, /name/],
      ['bad email', 'POST', '/admin/users', { name: 'a', email: 'nope' }, 400, /email/],
      ['malformed JSON', 'POST', '/admin/users', '{"name":', 400, /not valid JSON/],
      ['unknown user', 'GET', '/admin/users/acc_nobody', undefined, 404, /No user/],
      [
        'string amount',
        'POST',
        '/admin/users/:id/credits',
        { amount_mmk: '5', reason: 'x' },
        400,
        /amount_mmk/,
      ],
      [
        'zero amount',
        'POST',
        '/admin/users/:id/credits',
        { amount_mmk: 0, reason: 'x' },
        400,
        /not be zero/,
      ],
      [
        'too precise',
        'POST',
        '/admin/users/:id/credits',
        { amount_mmk: 0.00001, reason: 'x' },
        400,
        /decimal/,
      ],
      [
        'overflow',
        'POST',
        '/admin/users/:id/credits',
        { amount_mmk: 1e15, reason: 'x' },
        400,
        /too large|largest/,
      ],
      [
        'overdraw',
        'POST',
        '/admin/users/:id/credits',
        { amount_mmk: -1, reason: 'x' },
        409,
        /below zero/,
      ],
      ['no reason', 'POST', '/admin/users/:id/credits', { amount_mmk: 5 }, 400, /reason/],
      [
        'credit unknown user',
        'POST',
        '/admin/users/acc_x/credits',
        { amount_mmk: 5, reason: 'x' },
        404,
        /No user/,
      ],
      ['key without name', 'POST', '/admin/users/:id/keys', {}, 400, /name/],
      ['cap of zero', 'PATCH', '/admin/keys/key_x', { daily_cap_mmk: 0 }, 400, /daily_cap_mmk/],
      ['cap on unknown key', 'PATCH', '/admin/keys/key_x', { daily_cap_mmk: 5 }, 404, /No live/],
      ['revoke unknown key', 'DELETE', '/admin/keys/key_nope', undefined, 404, /No live key/],
      ['limit not a number', 'GET', '/admin/users/:id/usage?limit=abc', undefined, 400, /limit/],
      [
        'limit too big',
        'GET',
        '/admin/users/:id/usage?limit=5000',
        undefined,
        400,
        /less or equal to 1000/,
      ],
      ['markup below 1', 'PATCH', '/admin/settings', { price_markup: 0.5 }, 400, /price_markup/],
      [
        'negative rate',
        'PATCH',
        '/admin/settings',
        { usd_to_mmk_rate: -3 },
        400,
        /usd_to_mmk_rate/,
      ],
      ['unknown setting', 'PATCH', '/admin/settings', { colour: 'red' }, 400, /at least 1/],
      ['unknown route', 'GET', '/admin/nothing', undefined, 404, /No such route/],
    ]

    for (const [name, method, path, body, status, message] of cases) {
      test(name, async () => {
        const user = await createUser()

        const answer = await admin(env.app, method, path.replace(':id', user.id), body)

        expect(answer.status).toBe(status)
        expect(answer.body.error.message).toMatch(message)
        expect(Object.keys(answer.body.error).sort()).toEqual(['code', 'message', 'param', 'type'])
        expect(env.services.ledger.fundsOf(user.id).balanceUnits).toBe(0)
        expect(await env.services.pricing.current()).toEqual({
          usdToMmkRate: 4500,
          priceMarkup: 1.2,
        })
      })
    }
  })
})
