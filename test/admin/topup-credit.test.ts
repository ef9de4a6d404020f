import { afterEach, describe, expect, test } from 'bun:test'
import type { ManualClock } from '../../src/lib/clock'
import { lookup } from '../../src/portal/i18n'
import { Browser } from '../portal/support'
import { topupHarness, type TopupHarness } from '../payments/support/harness'
import { admin } from '../support/app'
import { audit } from '../support/ledger'

// A manual credit is for an order a person must look at and whose money never reached the
// balance (an amount mismatch); anything else would pay an order twice or out of turn.

let h: TopupHarness

afterEach(async () => {
  expect(await audit(h.env.services)).toEqual([])
  await h.close()
})

const creditByHand = (orderId: string, amount_mmk = 500) =>
  admin(h.env.app, 'POST', `/admin/topups/${orderId}/credit`, { amount_mmk, note: 'checked' })

async function mismatchedOrder() {
  const order = await h.createTopup(5000)
  await h.simControl(`/orders/${order.id}/pay`, { vendor: 'KBZPay', amount: 500 })
  return order
}

async function paidOrder() {
  const order = await h.createTopup(5000)
  await h.simControl(`/orders/${order.id}/pay`, { vendor: 'KBZPay' })
  return order
}

async function expiredOrder() {
  const order = await h.createTopup(6000)
  ;(h.env.clock as ManualClock).advance(901_000)
  await h.payments.reconciler.runOnce()
  return order
}

function expectRefused(answer: { status: number; body: any }, code: string, message: RegExp) {
  expect(answer.status).toBe(409)
  expect(answer.body.error).toMatchObject({ code, message: expect.stringMatching(message) })
}

describe('POST /admin/topups/:id/credit', () => {
  test('an order in review is credited once; a second credit gets 409', async () => {
    h = await topupHarness()
    const order = await mismatchedOrder()

    const first = await creditByHand(order.id)
    const second = await creditByHand(order.id)

    expect([first.status, first.body]).toEqual([200, { balance_mmk: 500 }])
    expectRefused(second, 'already_credited', /already credited by hand/)
    expect(h.balanceMmk()).toBe(500)
  })

  test('a paid order gets 409 and is not credited twice', async () => {
    h = await topupHarness()
    const order = await paidOrder()

    const answer = await creditByHand(order.id, 5000)

    expectRefused(answer, 'already_paid', /payment was already credited/)
    expect(h.balanceMmk()).toBe(5000)
    expect((await h.order(order.id)).status).toBe('PAID')
  })

  test('a late payment in review was credited already, so it gets 409 too', async () => {
    h = await topupHarness()
    const order = await expiredOrder()
    await h.simControl(`/orders/${order.id}/pay`, { vendor: 'KBZPay', force: true })

    const answer = await creditByHand(order.id, 6000)

    expectRefused(answer, 'already_paid', /payment was already credited/)
    expect(h.balanceMmk()).toBe(6000)
    expect(await h.order(order.id)).toMatchObject({ reviewReason: 'late_payment' })
  })

  test('a pending or expired order is not in review and gets 409', async () => {
    h = await topupHarness()
    const expired = await expiredOrder()
    const pending = await h.createTopup(3000)

    const answers = [await creditByHand(pending.id), await creditByHand(expired.id)]

    for (const answer of answers) expectRefused(answer, 'not_in_review', /review queue/)
    expect(h.balanceMmk()).toBe(0)
  })

  test('an order whose review was closed without money gets 409', async () => {
    h = await topupHarness()
    const order = await mismatchedOrder()
    await admin(h.env.app, 'POST', `/admin/topups/${order.id}/resolve`)

    const answer = await creditByHand(order.id)

    expectRefused(answer, 'not_in_review', /review queue/)
    expect(h.balanceMmk()).toBe(0)
  })
})

describe('the console credit of a top-up', () => {
  test('says why a paid or pending order cannot be credited by hand', async () => {
    h = await topupHarness()
    const paid = await paidOrder()
    const pending = await h.createTopup(3000)
    const adminAccount = await h.env.services.accounts.create({ name: 'Admin', isAdmin: true })
    const browser = new Browser(h.env)
    await browser.signInAs(adminAccount)
    await browser.get('/console/topups')
    const credit = { amount_mmk: '5000', note: 'checked' }

    const onPaid = await browser.post(`/console/topups/${paid.id}/credit`, credit)
    const onPending = await browser.post(`/console/topups/${pending.id}/credit`, credit)

    expect(onPaid.status).toBe(409)
    expect(onPaid.text).toContain(lookup('en', 'topup.admin.alreadyPaid')!.replace("'", '&#x27;'))
    expect(onPending.status).toBe(409)
    expect(onPending.text).toContain(lookup('en', 'topup.admin.notInReview')!)
    expect(h.balanceMmk()).toBe(5000)
  })
})

test('the review queue offers a manual credit only where it would be taken', async () => {
  h = await topupHarness()
  const mismatched = await mismatchedOrder()
  const late = await expiredOrder()
  await h.simControl(`/orders/${late.id}/pay`, { vendor: 'KBZPay', force: true })
  const adminAccount = await h.env.services.accounts.create({ name: 'Admin', isAdmin: true })
  const browser = new Browser(h.env)
  await browser.signInAs(adminAccount)

  const page = await browser.get('/console/topups')

  expect(page.text).toContain(`action="/console/topups/${mismatched.id}/credit"`)
  expect(page.text).not.toContain(`action="/console/topups/${late.id}/credit"`)
  expect(page.text).toContain(`action="/console/topups/${late.id}/resolve"`)
})
