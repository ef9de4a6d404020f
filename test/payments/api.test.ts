import { afterEach, describe, expect, test } from 'bun:test'
import type { ManualClock } from '../../src/lib/clock'
import { parseEmv } from '../../src/payments/emv'
import { audit } from '../support/ledger'
import { topupHarness, type TopupHarness } from './support/harness'

// The top-up API for API keys (/billing/topups), over real HTTP against the simulator.

let h: TopupHarness
let key = ''

afterEach(async () => {
  expect(await audit(h.env.services)).toEqual([])
  await h.close()
})

async function start(options: Parameters<typeof topupHarness>[0] = {}) {
  h = await topupHarness(options)
  key = (await h.env.services.keys.create(h.account.id, 'billing')).key
}

async function call(method: string, path: string, body?: unknown, headers = {}) {
  const response = await fetch(h.gatewayUrl + path, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, body: await response.json() }
}

describe('the top-up API', () => {
  test('opens an order with a payable MMQR code, and the poll turns to paid', async () => {
    await start()

    const created = await call('POST', '/billing/topups', { amount_mmk: 5000 })
    await h.simControl('/scan', { qr: created.body.qr_payload, vendor: 'KBZPay' })
    const polled = await call('GET', `/billing/topups/${created.body.order_id}`)
    const listed = await call('GET', '/billing/topups')

    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ status: 'PENDING', amount_mmk: 5000, balance_mmk: 0 })
    expect(created.body.order_id).toMatch(/^tp_[0-9A-Z]{16}$/)
    expect(parseEmv(created.body.qr_payload).get('54')).toBe('5000')
    expect(created.body.qr_png_data_url).toStartWith('data:image/png;base64,')
    expect(polled.status).toBe(200)
    expect(polled.body).toMatchObject({
      order_id: created.body.order_id,
      status: 'PAID',
      wallet: 'KBZPay',
      balance_mmk: 5000,
      qr_png_data_url: null,
    })
    expect(listed.body.data.map((row: { order_id: string }) => row.order_id)).toEqual([
      created.body.order_id,
    ])
  })

  test('an order past its time has no QR image, even before it is marked expired', async () => {
    await start()
    const created = await call('POST', '/billing/topups', { amount_mmk: 5000 })

    ;(h.env.clock as ManualClock).advance(901_000)
    const polled = await call('GET', `/billing/topups/${created.body.order_id}`)

    expect(polled.body).toMatchObject({ status: 'PENDING', qr_png_data_url: null })
  })

  test('the same Idempotency-Key answers with the same order', async () => {
    await start()
    const headers = { 'idempotency-key': 'retry-1' }

    const first = await call('POST', '/billing/topups', { amount_mmk: 2000 }, headers)
    const again = await call('POST', '/billing/topups', { amount_mmk: 2000 }, headers)
    const otherAmount = await call('POST', '/billing/topups', { amount_mmk: 3000 }, headers)

    expect(again.body.order_id).toBe(first.body.order_id)
    expect(otherAmount.status).toBe(409)
    expect(otherAmount.body.error.code).toBe('idempotency_conflict')
    expect((await call('GET', '/billing/topups')).body.data).toHaveLength(1)
  })

  test('refuses a bad amount or key in OpenAI JSON, and opens nothing', async () => {
    await start()

    const tooSmall = await call('POST', '/billing/topups', { amount_mmk: 10 })
    const fraction = await call('POST', '/billing/topups', { amount_mmk: 1000.5 })
    key = 'sk-sg-unknown'
    const unknownKey = await call('POST', '/billing/topups', { amount_mmk: 5000 })

    expect([tooSmall.status, fraction.status, unknownKey.status]).toEqual([400, 400, 401])
    expect(tooSmall.body.error).toMatchObject({ code: 'invalid_amount', param: 'amount_mmk' })
    expect(fraction.body.error.param).toBe('amount_mmk')
    expect(unknownKey.body.error.code).toBe('invalid_api_key')
    expect(await h.payments.orders.listForAccount(h.account.id)).toEqual([])
  })

  test('an unknown key gets 401 before the top-up limit or the body is looked at', async () => {
    await start({ env: { TOPUPS_PER_MINUTE_PER_ADDRESS: '1' } })
    const made = await call('POST', '/billing/topups', { amount_mmk: 5000 })
    key = 'sk-sg-unknown'

    const unknownKey = await call('POST', '/billing/topups', { amount_mmk: 5000 })
    const badBody = await call('POST', '/billing/topups', { amount_mmk: 'lots' })

    expect([made.status, unknownKey.status, badBody.status]).toEqual([201, 401, 401])
    expect(unknownKey.body.error.code).toBe('invalid_api_key')
  })

  test('the top-up limit counts new orders only, not bad amounts or retries', async () => {
    await start({ env: { TOPUPS_PER_MINUTE_PER_ADDRESS: '2' } })
    const retry = { 'idempotency-key': 'retry-1' }

    const refused = [
      (await call('POST', '/billing/topups', { amount_mmk: 10 })).status,
      (await call('POST', '/billing/topups', { amount_mmk: 5000 }, { 'idempotency-key': 'a b' }))
        .status,
    ]
    const first = await call('POST', '/billing/topups', { amount_mmk: 5000 }, retry)
    const again = await call('POST', '/billing/topups', { amount_mmk: 5000 }, retry)
    const second = await call('POST', '/billing/topups', { amount_mmk: 5000 })
    const third = await call('POST', '/billing/topups', { amount_mmk: 5000 })

    expect(refused).toEqual([400, 400])
    expect(again.body.order_id).toBe(first.body.order_id)
    expect([first.status, again.status, second.status, third.status]).toEqual([201, 201, 201, 429])
    expect(third.body.error.code).toBe('rate_limit_exceeded')
    expect(await h.payments.orders.listForAccount(h.account.id)).toHaveLength(2)
  })

  test('another account’s order reads as not found', async () => {
    await start()
    const created = await call('POST', '/billing/topups', { amount_mmk: 5000 })
    const stranger = await h.env.services.accounts.create({ name: 'Stranger' })
    key = (await h.env.services.keys.create(stranger.id, 'other')).key

    const read = await call('GET', `/billing/topups/${created.body.order_id}`)

    expect(read.status).toBe(404)
    expect(read.body.error.code).toBe('order_not_found')
    expect((await call('GET', '/billing/topups')).body.data).toEqual([])
  })
})
