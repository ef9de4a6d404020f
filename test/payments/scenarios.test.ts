import { afterEach, describe, expect, test } from 'bun:test'
import { ApiError } from '../../src/http/api-error'
import { parseEmv } from '../../src/payments/emv'
import type { ManualClock } from '../../src/lib/clock'
import { admin } from '../support/app'
import { audit } from '../support/ledger'
import { topupHarness, type TopupHarness } from './support/harness'
import { until } from './support/sim'

// The end-to-end scenarios of PROTOCOLS.md §2.7 (the tenth, signature and CRC vectors, lives in
// signature.test.ts and emv.test.ts): the gateway and the simulator, over real HTTP.

let h: TopupHarness

afterEach(async () => {
  expect(await audit(h.env.services)).toEqual([])
  await h.close()
})

const statusOf = (body: string) => (JSON.parse(body) as { status: string }).status
const successDeliveries = async (orderId: string) =>
  (await h.deliveries(orderId)).filter((d) => d.body && statusOf(d.body) !== 'PENDING')
const ledgerEntries = async (accountId: string) => {
  const t = h.env.services.db.t.ledgerEntries
  const rows = await h.env.services.db.orm.select().from(t)
  return rows
    .filter((row) => row.accountId === accountId)
    .map((row) => [row.reason, row.amountUnits / 10_000, row.reference])
}

describe('top-up scenarios against the simulator', () => {
  test('1. happy path: a CRC-valid QR, scanned and paid, credits the balance once', async () => {
    h = await topupHarness()
    const order = await h.createTopup(5000)

    const scan = await h.simControl('/scan', { qr: order.qrPayload, vendor: 'WavePay' })

    expect(parseEmv(order.qrPayload!).get('54')).toBe('5000')
    expect(scan.status).toBe(200)
    expect((await successDeliveries(order.id)).map((d) => d.responseStatus)).toEqual([200])
    expect(await h.order(order.id)).toMatchObject({
      status: 'PAID',
      wallet: 'WavePay',
      paidAmountMmk: 5000,
      reviewReason: null,
    })
    expect(h.balanceMmk()).toBe(5000)
    expect(await ledgerEntries(h.account.id)).toEqual([['topup', 5000, `topup:${order.id}`]])
  })

  test('2. duplicate and heartbeat deliveries are all answered 200 and credit once', async () => {
    h = await topupHarness()
    const order = await h.createTopup(3000)
    await h.simControl('/faults', { route: 'callback', mode: 'duplicate', times: 1 })

    await h.simControl(`/orders/${order.id}/pay`, { vendor: 'KBZPay' })
    await h.simControl(`/orders/${order.id}/redeliver`, {})
    await h.simControl(`/orders/${order.id}/redeliver`, {})

    expect((await successDeliveries(order.id)).map((d) => d.responseStatus)).toEqual([
      200, 200, 200, 200,
    ])
    expect(h.balanceMmk()).toBe(3000)
    expect((await h.order(order.id)).status).toBe('PAID')
  })

  test('2b. a PENDING callback arriving after SUCCESS changes nothing', async () => {
    h = await topupHarness()
    const order = await h.createTopup(3000)
    // The simulator announces a new order just after answering; were that callback still on
    // its way, it could land after the two this test puts in order.
    const announced = async () => (await h.deliveries(order.id)).length === 1
    await until(announced, 'the new order callback')
    await h.simControl('/faults', { route: 'callback', mode: 'out_of_order', times: 1 })

    await h.simControl(`/orders/${order.id}/pay`, { vendor: 'WavePay' })

    const statuses = (await h.deliveries(order.id)).map((d) => [statusOf(d.body), d.responseStatus])
    expect(statuses.slice(-2)).toEqual([
      ['SUCCESS', 200],
      ['PENDING', 200],
    ])
    expect((await h.order(order.id)).status).toBe('PAID')
    expect(h.balanceMmk()).toBe(3000)
  })

  test(
    '3a. a badly signed callback gets 401 and ' + 'changes nothing; the signed retry credits',
    async () => {
      h = await topupHarness()
      const order = await h.createTopup(2000)
      await h.simControl('/faults', { route: 'callback', mode: 'bad_signature', times: 1 })

      await h.simControl(`/orders/${order.id}/pay`, { vendor: 'AYAPay' })
      const afterBad = { status: (await h.order(order.id)).status, balance: h.balanceMmk() }
      // The simulator records the retry's answer only after our webhook has answered it.
      const retried = async () =>
        (await h.order(order.id)).status === 'PAID' &&
        (await successDeliveries(order.id)).length === 2
      await until(retried, 'the retried callback')

      expect(afterBad).toEqual({ status: 'PENDING', balance: 0 })
      expect((await successDeliveries(order.id)).map((d) => d.responseStatus)).toEqual([401, 200])
      expect(h.balanceMmk()).toBe(2000)
    },
  )

  test(
    '3b. a pretty-printed callback verifies, ' + 'because the raw bytes are what is checked',
    async () => {
      h = await topupHarness()
      const order = await h.createTopup(2500)
      await h.simControl('/faults', { route: 'callback', mode: 'pretty_json', times: 1 })

      await h.simControl(`/orders/${order.id}/pay`, { vendor: 'CBPay' })

      const [delivery] = await successDeliveries(order.id)
      expect(delivery?.body).toContain('\n  "orderId"')
      expect(delivery?.responseStatus).toBe(200)
      expect(h.balanceMmk()).toBe(2500)
    },
  )

  test(
    '4. an amount mismatch credits nothing, ' + 'cancels the order, alerts and queues it',
    async () => {
      h = await topupHarness()
      const order = await h.createTopup(5000)

      await h.simControl(`/orders/${order.id}/pay`, { vendor: 'KBZPay', amount: 500 })
      const queue = await admin(h.env.app, 'GET', '/admin/topups/review')

      expect(h.balanceMmk()).toBe(0)
      expect(await h.order(order.id)).toMatchObject({
        status: 'CANCELLED',
        reviewReason: 'amount_mismatch',
        paidAmountMmk: 500,
      })
      expect(h.env.logs.some((line) => line.includes('"event":"topup_amount_mismatch"'))).toBe(true)
      expect(queue.body.data.map((o: { id: string }) => o.id)).toEqual([order.id])
    },
  )

  test('5. a lost callback is found by the reconciler, which credits the order', async () => {
    h = await topupHarness()
    const order = await h.createTopup(4000)
    await h.simControl('/faults', { route: 'callback', mode: 'lost' })
    await h.simControl(`/orders/${order.id}/pay`, { vendor: 'WavePay' })
    const before = (await h.order(order.id)).status

    ;(h.env.clock as ManualClock).advance(121_000)
    const report = await h.payments.reconciler.runOnce()

    expect(before).toBe('PENDING')
    expect(report).toEqual({ asked: 1, expired: 0, abandoned: 0 })
    expect(await h.order(order.id)).toMatchObject({ status: 'PAID', wallet: 'WavePay' })
    expect(h.balanceMmk()).toBe(4000)
  })

  test('5b. a lost callback found only after expiry still counts as paid in time', async () => {
    h = await topupHarness()
    const order = await h.createTopup(4000)
    await h.simControl('/faults', { route: 'callback', mode: 'lost' })
    await h.simControl(`/orders/${order.id}/pay`, { vendor: 'CBPay' })

    ;(h.env.clock as ManualClock).advance(901_000)
    const report = await h.payments.reconciler.runOnce()

    expect(report).toEqual({ asked: 1, expired: 0, abandoned: 0 })
    expect(await h.order(order.id)).toMatchObject({ status: 'PAID', reviewReason: null })
    expect(h.balanceMmk()).toBe(4000)
  })

  test('6. expiry cancels the order; a forced late payment is credited and flagged', async () => {
    h = await topupHarness()
    const order = await h.createTopup(6000)

    ;(h.env.clock as ManualClock).advance(901_000)
    await h.payments.reconciler.runOnce()
    const expired = {
      local: (await h.order(order.id)).status,
      sim: (await h.simControl(`/orders/${order.id}`)).body.status,
    }
    await h.simControl(`/orders/${order.id}/pay`, { vendor: 'KBZPay', force: true })

    expect(expired).toEqual({ local: 'EXPIRED', sim: 'CANCELLED' })
    expect(await h.order(order.id)).toMatchObject({
      status: 'PAID_LATE',
      reviewReason: 'late_payment',
    })
    expect(h.balanceMmk()).toBe(6000)
  })

  test('7. a refund after payment becomes a negative ledger entry', async () => {
    h = await topupHarness()
    const order = await h.createTopup(5000)
    await h.simControl(`/orders/${order.id}/pay`, { vendor: 'KBZPay' })

    await h.simControl(`/orders/${order.id}/refund`, {})

    expect((await h.order(order.id)).status).toBe('REFUNDED')
    expect(h.balanceMmk()).toBe(0)
    expect(await ledgerEntries(h.account.id)).toEqual([
      ['topup', 5000, `topup:${order.id}`],
      ['refund', -5000, `refund:${order.id}`],
    ])
  })

  test(
    '7b. a refund larger than what is left ' + 'takes the rest and queues the shortfall',
    async () => {
      h = await topupHarness()
      const order = await h.createTopup(5000)
      await h.simControl(`/orders/${order.id}/pay`, { vendor: 'KBZPay' })
      await admin(h.env.app, 'POST', `/admin/users/${h.account.id}/credits`, {
        amount_mmk: -3000,
        reason: 'spent',
      })

      await h.simControl(`/orders/${order.id}/refund`, {})

      expect(h.balanceMmk()).toBe(0)
      expect(await h.order(order.id)).toMatchObject({
        status: 'REFUNDED',
        reviewReason: 'refund_shortfall',
      })
    },
  )

  test(
    '8. MMPay 503 on create: a retryable error, ' + 'the order FAILED_TO_CREATE, no orphan',
    async () => {
      h = await topupHarness()
      await h.simControl('/faults', { route: 'create', mode: 'status_503', times: 1 })

      const error = await h.createTopup(5000).catch((e) => e)
      const [order] = await h.payments.orders.listForAccount(h.account.id)

      expect(error).toBeInstanceOf(ApiError)
      expect([error.status, error.code, error.headers]).toEqual([
        503,
        'payment_provider_unavailable',
        { 'retry-after': '5' },
      ])
      expect(order?.status).toBe('FAILED_TO_CREATE')
      expect((await h.simControl(`/orders/${order!.id}`)).status).toBe(404)
    },
  )

  test('8b. a create that times out is FAILED_TO_CREATE and a retry succeeds', async () => {
    h = await topupHarness({ env: { MMPAY_TIMEOUT_MS: '300' } })
    await h.simControl('/faults', { route: 'create', mode: 'hang', times: 1 })

    const error = await h.createTopup(5000).catch((e) => e)
    const retry = await h.createTopup(5000)

    expect(error.code).toBe('payment_provider_unavailable')
    expect(retry.status).toBe('PENDING')
    expect((await h.payments.orders.listForAccount(h.account.id)).map((o) => o.status)).toEqual(
      expect.arrayContaining(['FAILED_TO_CREATE', 'PENDING']),
    )
  })

  test('9. the same Idempotency-Key makes one order, even for concurrent requests', async () => {
    h = await topupHarness()

    const [a, b] = await Promise.all([
      h.createTopup(5000, 'click-1'),
      h.createTopup(5000, 'click-1'),
    ])
    const later = await h.createTopup(5000, 'click-1')
    const other = await h.createTopup(7000, 'click-1').catch((e) => e)

    expect(new Set([a.id, b.id, later.id]).size).toBe(1)
    expect(await h.payments.orders.listForAccount(h.account.id)).toHaveLength(1)
    expect([other.status, other.code]).toEqual([409, 'idempotency_conflict'])
  })
})
