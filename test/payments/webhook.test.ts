import { afterEach, describe, expect, test } from 'bun:test'
import { signPayload } from '../../src/payments/signature'
import { audit } from '../support/ledger'
import { topupHarness, type TopupHarness } from './support/harness'
import { merchant } from './support/sim'

let h: TopupHarness

afterEach(async () => {
  expect(await audit(h.env.services)).toEqual([])
  await h.close()
})

const callbackFor = (orderId: string, amount: number, extra: Record<string, string> = {}) =>
  JSON.stringify({
    orderId,
    amount,
    currency: 'MMK',
    vendor: 'KBZPay',
    method: 'QR',
    status: 'SUCCESS',
    condition: 'PRISTINE',
    transactionRefId: '939583046594',
    vendorQrRefId: '48309449034',
    ...extra,
  })

/** Posts a callback to the gateway over HTTP, signed with `secret` under `nonce`. */
function deliver(body: string, nonce: string, secret = merchant.secretKey) {
  return fetch(`${h.gatewayUrl}/webhooks/mmpay`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-mmpay-nonce': nonce,
      'x-mmpay-signature': signPayload(secret, nonce, body),
    },
    body,
  })
}

const eventsOf = (orderId: string) => h.payments.orders.events(orderId)

describe('POST /webhooks/mmpay', () => {
  test('50 concurrent deliveries of one successful callback credit it once', async () => {
    h = await topupHarness({ sim: { emitCreatedCallback: false } })
    const order = await h.createTopup(5000)
    const body = callbackFor(order.id, 5000)
    const base = Date.now()

    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => deliver(body, String(base + i))),
    )

    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200))
    expect(await responses[0]!.json()).toEqual({ received: true })
    expect(h.balanceMmk()).toBe(5000)
    expect((await h.order(order.id)).status).toBe('PAID')
  })

  test('a bad signature answers 401 and changes nothing, not even the event log', async () => {
    h = await topupHarness({ sim: { emitCreatedCallback: false } })
    const order = await h.createTopup(5000)
    const eventsBefore = await eventsOf(order.id)

    const response = await deliver(
      callbackFor(order.id, 5000),
      String(Date.now()),
      'sk_test_forged',
    )

    expect(response.status).toBe(401)
    expect(await response.json()).toEqual({
      error: {
        message: 'The callback signature does not verify.',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_signature',
      },
    })
    expect(await h.order(order.id)).toEqual(order)
    expect(await eventsOf(order.id)).toEqual(eventsBefore)
    expect(h.balanceMmk()).toBe(0)
  })

  test('a signed body altered by one byte is refused', async () => {
    h = await topupHarness({ sim: { emitCreatedCallback: false } })
    const order = await h.createTopup(5000)
    const nonce = String(Date.now())
    const signed = callbackFor(order.id, 5000)

    const response = await fetch(`${h.gatewayUrl}/webhooks/mmpay`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-mmpay-nonce': nonce,
        'x-mmpay-signature': signPayload(merchant.secretKey, nonce, signed),
      },
      body: signed.replace('"amount":5000', '"amount": 5000'),
    })

    expect(response.status).toBe(401)
    expect(h.balanceMmk()).toBe(0)
  })

  test('an exact replay is answered 200 without a second event', async () => {
    h = await topupHarness({ sim: { emitCreatedCallback: false } })
    const order = await h.createTopup(5000)
    const nonce = String(Date.now())
    const body = callbackFor(order.id, 5000)

    const first = await deliver(body, nonce)
    const replay = await deliver(body, nonce)

    expect([first.status, replay.status]).toEqual([200, 200])
    expect((await eventsOf(order.id)).filter((e) => e.kind === 'webhook')).toHaveLength(1)
    expect(h.balanceMmk()).toBe(5000)
  })

  test(
    'a valid callback for an unknown order ' + 'is answered 200 so MMPay stops retrying',
    async () => {
      h = await topupHarness({ sim: { emitCreatedCallback: false } })

      const response = await deliver(callbackFor('tp_0000000000000000', 5000), String(Date.now()))

      expect(response.status).toBe(200)
      expect(h.env.logs.some((l) => l.includes('"event":"mmpay_webhook_unknown_order"'))).toBe(true)
    },
  )

  test('a signed body that is not a callback is refused', async () => {
    h = await topupHarness({ sim: { emitCreatedCallback: false } })

    const response = await deliver('{"hello":"world"}', String(Date.now()))

    expect(response.status).toBe(401)
  })
})

describe('POST /webhooks/mmpay with MMPAY_CONFIRM_WITH_GET', () => {
  const confirming = {
    env: { MMPAY_CONFIRM_WITH_GET: 'true' },
    sim: { emitCreatedCallback: false },
  }

  test('a signed success MMPay does not confirm credits nothing; a real one does', async () => {
    h = await topupHarness(confirming)
    const order = await h.createTopup(5000)

    const forged = await deliver(callbackFor(order.id, 5000), String(Date.now()))
    const before = { status: (await h.order(order.id)).status, balance: h.balanceMmk() }
    await h.simControl(`/orders/${order.id}/pay`, { vendor: 'WavePay' })

    expect(forged.status).toBe(200)
    expect(before).toEqual({ status: 'PENDING', balance: 0 })
    expect((await h.order(order.id)).status).toBe('PAID')
    expect(h.balanceMmk()).toBe(5000)
  })

  test('MMPay out of reach: the callback gets 503, and a later delivery credits', async () => {
    h = await topupHarness(confirming)
    const order = await h.createTopup(5000)
    await h.simControl('/faults', { route: 'callback', mode: 'lost', times: 1 })
    await h.simControl(`/orders/${order.id}/pay`, { vendor: 'KBZPay' })
    await h.simControl('/faults', { route: 'get', mode: 'status_503' })

    const refused = await deliver(callbackFor(order.id, 5000), String(Date.now()))
    const balanceThen = h.balanceMmk()
    await h.simControl('/faults', { route: 'get', mode: 'none' })
    const again = await deliver(callbackFor(order.id, 5000), String(Date.now() + 1))

    expect(refused.status).toBe(503)
    expect((await refused.json()).error.code).toBe('payment_provider_unavailable')
    expect(balanceThen).toBe(0)
    expect(again.status).toBe(200)
    expect(h.balanceMmk()).toBe(5000)
    expect((await h.order(order.id)).status).toBe('PAID')
  })
})
