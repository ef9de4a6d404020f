import { afterEach, describe, expect, test } from 'bun:test'
import type { ManualClock } from '../../src/lib/clock'
import { audit } from '../support/ledger'
import { lookup } from '../../src/portal/i18n'
import { Browser, mainText } from '../portal/support'
import { signPayload } from '../../src/payments/signature'
import { topupHarness, type TopupHarness } from './support/harness'
import { merchant } from './support/sim'

let h: TopupHarness

afterEach(async () => {
  expect(await audit(h.env.services)).toEqual([])
  await h.close()
})

async function signedIn(lang?: 'en' | 'my') {
  const browser = new Browser(h.env, lang)
  await browser.signInAs(h.account)
  await browser.get('/topup')
  return browser
}

const orderIdIn = (location: string | null) => /\/topup\/(tp_\w+)$/.exec(location ?? '')?.[1]

describe('top-up pages', () => {
  test('a signed-out visitor is sent to sign in', async () => {
    h = await topupHarness({ sandbox: true })

    const response = await new Browser(h.env).get('/topup')

    expect([response.status, response.headers.get('location')]).toEqual([
      303,
      '/signin?next=%2Ftopup',
    ])
  })

  test(
    'a preset makes an order whose page shows the QR as SVG, ' + 'the wallets and a live status',
    async () => {
      h = await topupHarness({ sandbox: true })
      const browser = await signedIn()

      const posted = await browser.post('/topup', { preset: '10000', idempotency_key: 'k1' })
      const orderId = orderIdIn(posted.headers.get('location'))
      const orderPage = await browser.get(`/topup/${orderId}`)

      expect(posted.status).toBe(303)
      expect((await h.order(orderId!)).amountMmk).toBe(10000)
      expect(orderPage.text).toContain('<svg')
      expect(orderPage.text).toContain('hx-trigger="every 3s"')
      expect(orderPage.text).toContain('data-status="PENDING"')
      for (const wallet of ['KBZPay', 'WavePay', 'AYAPay', 'CBPay']) {
        expect(orderPage.text).toContain(`Pay with sandbox ${wallet}`)
      }
    },
  )

  test('a custom amount wins over a preset, and a double submit makes one order', async () => {
    h = await topupHarness({ sandbox: true })
    const browser = await signedIn()
    const form = { preset: '5000', custom: '12345', idempotency_key: 'double-click' }

    const [first, second] = await Promise.all([
      browser.post('/topup', form),
      browser.post('/topup', form),
    ])

    expect(first.headers.get('location')).toBe(second.headers.get('location'))
    expect((await h.payments.orders.listForAccount(h.account.id)).map((o) => o.amountMmk)).toEqual([
      12345,
    ])
  })

  test('an Idempotency-Key header counts like the form field', async () => {
    h = await topupHarness({ sandbox: true })
    const browser = await signedIn()

    const first = await browser.post('/topup', { preset: '5000' }, { 'idempotency-key': 'hdr-1' })
    const second = await browser.post('/topup', { preset: '5000' }, { 'idempotency-key': 'hdr-1' })

    expect(first.headers.get('location')).toBe(second.headers.get('location'))
    expect(await h.payments.orders.listForAccount(h.account.id)).toHaveLength(1)
  })

  test.each([['999'], ['1000001'], ['12.5'], ['abc'], ['']])(
    'an amount of "%s" is refused with the form and a message',
    async (custom) => {
      h = await topupHarness({ sandbox: true })
      const browser = await signedIn()

      const response = await browser.post('/topup', { custom, idempotency_key: 'k' })

      expect(response.status).toBe(400)
      expect(response.text).toContain(
        'Enter an amount from 1,000 MMK to 1,000,000 MMK, in whole kyat.',
      )
      expect(await h.payments.orders.listForAccount(h.account.id)).toEqual([])
    },
  )

  test(
    'the sandbox wallet pays the QR and the ' + 'status turns to paid with the new balance',
    async () => {
      h = await topupHarness({ sandbox: true })
      const browser = await signedIn()
      const posted = await browser.post('/topup', { preset: '5000', idempotency_key: 'k2' })
      const orderId = orderIdIn(posted.headers.get('location'))

      const paid = await browser.post(
        `/topup/${orderId}/sandbox-pay`,
        { wallet: 'WavePay' },
        { 'hx-request': 'true' },
      )

      expect(paid.text).toContain('data-status="PAID"')
      expect(paid.text).toContain('New balance: 5,000 MMK')
      expect(paid.text).not.toContain('hx-trigger')
      expect(h.balanceMmk()).toBe(5000)
      expect((await browser.get('/topup')).text).toContain('WavePay')
    },
  )

  test('in production the sandbox wallet is not offered and cannot be used', async () => {
    h = await topupHarness({ sandbox: true, env: { NODE_ENV: 'production' } })
    const browser = await signedIn()
    const posted = await browser.post('/topup', { preset: '5000', idempotency_key: 'k3' })
    const orderId = orderIdIn(posted.headers.get('location'))

    const orderPage = await browser.get(`/topup/${orderId}`)
    const pay = await browser.post(`/topup/${orderId}/sandbox-pay`, { wallet: 'KBZPay' })

    expect(orderPage.text).toContain('<svg')
    expect(orderPage.text).not.toContain('sandbox-wallet')
    expect(pay.status).toBe(404)
    expect(h.balanceMmk()).toBe(0)
  })

  test("another account's order answers 404 on every order route", async () => {
    h = await topupHarness({ sandbox: true })
    const order = await h.createTopup(5000)
    const other = await h.env.services.accounts.create({ name: 'Mallory' })
    const browser = new Browser(h.env)
    await browser.signInAs(other)

    const answers = [
      await browser.get(`/topup/${order.id}`),
      await browser.get(`/topup/${order.id}/status`),
      await browser.post(`/topup/${order.id}/sandbox-pay`, { wallet: 'KBZPay' }),
    ]

    expect(answers.map((a) => a.status)).toEqual([404, 404, 404])
    expect((await h.order(order.id)).status).toBe('PENDING')
  })

  test('a wallet name from the provider is shown escaped in the history', async () => {
    h = await topupHarness({ sim: { emitCreatedCallback: false } })
    const order = await h.createTopup(5000)
    const nonce = String(Date.now())
    const body = JSON.stringify({
      orderId: order.id,
      amount: 5000,
      vendor: '<img src=x onerror=alert(1)>',
      status: 'SUCCESS',
      condition: 'PRISTINE',
    })
    await fetch(`${h.gatewayUrl}/webhooks/mmpay`, {
      method: 'POST',
      headers: {
        'x-mmpay-nonce': nonce,
        'x-mmpay-signature': signPayload(merchant.secretKey, nonce, body),
      },
      body,
    })
    const browser = await signedIn()

    const history = await browser.get('/topup')

    expect(h.balanceMmk()).toBe(5000)
    expect(history.text).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(history.text).not.toContain('<img src=x')
  })

  test('the page speaks Burmese when asked', async () => {
    h = await topupHarness({ sandbox: true })
    const browser = await signedIn('my')

    const response = await browser.get('/topup')

    expect(response.text).toContain('<html lang="my"')
    expect(response.text).toContain('QR ကုဒ် ထုတ်ရန်')
  })

  test('the Burmese form and its amount message name the kyat once per amount', async () => {
    h = await topupHarness({ sandbox: true })
    const browser = await signedIn('my')

    const form = await browser.get('/topup')
    const refused = await browser.post('/topup', { custom: '5', idempotency_key: 'k' })

    expect(mainText(form.text)).toContain('၁,၀၀၀ ကျပ်မှ ၁,၀၀၀,၀၀၀ ကျပ်အထိ')
    expect(mainText(refused.text)).toContain('၁,၀၀၀ ကျပ်မှ ၁,၀၀၀,၀၀၀ ကျပ်အထိ')
    expect(mainText(form.text)).not.toMatch(/ကျပ်\s*ကျပ်/)
    expect(mainText(refused.text)).not.toMatch(/ကျပ်\s*ကျပ်/)
  })

  test('a bad idempotency key is named as a stale form, not a bad amount', async () => {
    h = await topupHarness({ sandbox: true })
    const browser = await signedIn()

    const response = await browser.post('/topup', { preset: '5000', idempotency_key: 'a b' })

    expect(response.status).toBe(400)
    expect(response.text).toContain(lookup('en', 'topup.invalidKey')!)
    expect(response.text).not.toContain('Enter an amount')
    expect(await h.payments.orders.listForAccount(h.account.id)).toEqual([])
  })

  test('a closed order shows its state and no QR code, on the page and in the poll', async () => {
    h = await topupHarness({ sandbox: true })
    const browser = await signedIn()
    const posted = await browser.post('/topup', { preset: '5000', idempotency_key: 'k4' })
    const orderId = orderIdIn(posted.headers.get('location'))!
    await browser.post(`/topup/${orderId}/sandbox-pay`, { wallet: 'KBZPay' })

    const orderPage = await browser.get(`/topup/${orderId}`)
    const poll = await browser.get(`/topup/${orderId}/status`, { 'hx-request': 'true' })

    expect((await h.order(orderId)).status).toBe('PAID')
    for (const answer of [orderPage, poll]) {
      expect(answer.text).not.toContain('<svg')
      expect(answer.text).not.toContain('topup-payload')
      expect(answer.text).toContain(lookup('en', 'topup.qrClosed')!)
    }
    expect(orderPage.text).toContain('data-status="PAID"')
    expect(poll.text).toContain('id="topup-qr" hx-swap-oob="true"')
  })

  test('an order past its time shows no QR, even before the reconciler expires it', async () => {
    h = await topupHarness({ sandbox: true })
    const browser = await signedIn()
    const posted = await browser.post('/topup', { preset: '5000', idempotency_key: 'k5' })
    const orderId = orderIdIn(posted.headers.get('location'))!
    const order = await h.order(orderId)
    ;(h.env.clock as ManualClock).advance(order.expiresAt - h.env.clock.now() + 1)

    const orderPage = await browser.get(`/topup/${orderId}`)

    expect((await h.order(orderId)).status).toBe('PENDING')
    expect(orderPage.text).not.toContain('<svg')
    expect(orderPage.text).not.toContain('sandbox-wallet')
  })
})

describe('the top-up limit per address', () => {
  const limited = { sandbox: true, env: { TOPUPS_PER_MINUTE_PER_ADDRESS: '2' } }

  test('counts only new orders: bad amounts, bad keys and double submits are free', async () => {
    h = await topupHarness(limited)
    const browser = await signedIn()
    const order = (idempotency_key: string) =>
      browser.post('/topup', { preset: '5000', idempotency_key })

    const refused = [
      (await browser.post('/topup', { custom: 'abc', idempotency_key: 'x1' })).status,
      (await browser.post('/topup', { custom: '5', idempotency_key: 'x2' })).status,
      (await order('not a key')).status,
    ]
    const first = await order('k1')
    const again = await order('k1')
    const second = await order('k2')
    const third = await order('k3')

    expect(refused).toEqual([400, 400, 400])
    expect(again.headers.get('location')).toBe(first.headers.get('location'))
    expect([first.status, again.status, second.status]).toEqual([303, 303, 303])
    expect([third.status, third.headers.get('retry-after')]).toEqual([429, '30'])
    expect(third.text).toContain(lookup('en', 'errors.tooMany')!)
    expect(await h.payments.orders.listForAccount(h.account.id)).toHaveLength(2)
  })

  test('past the limit a signed-out visitor is still sent to sign in', async () => {
    h = await topupHarness({ ...limited, env: { TOPUPS_PER_MINUTE_PER_ADDRESS: '1' } })
    await (await signedIn()).post('/topup', { preset: '5000', idempotency_key: 'k1' })
    const visitor = new Browser(h.env)
    await visitor.get('/signin')

    const response = await visitor.post('/topup', { preset: '5000', idempotency_key: 'k2' })

    expect([response.status, response.headers.get('location')]).toEqual([
      303,
      '/signin?next=%2Ftopup',
    ])
  })
})

describe('admin console for top-ups', () => {
  test('lists the review queue and credits an order by hand exactly once', async () => {
    h = await topupHarness()
    const order = await h.createTopup(5000)
    await h.simControl(`/orders/${order.id}/pay`, { vendor: 'KBZPay', amount: 500 })
    const adminAccount = await h.env.services.accounts.create({ name: 'Admin', isAdmin: true })
    const browser = new Browser(h.env)
    await browser.signInAs(adminAccount)

    const console = await browser.get('/console/topups')
    const credit = { amount_mmk: '500', note: 'paid 500 by mistake' }
    const first = await browser.post(`/console/topups/${order.id}/credit`, credit)
    const second = await browser.post(`/console/topups/${order.id}/credit`, credit)

    expect(console.text).toContain(order.id)
    expect(console.text).toContain('Amount differs from the order')
    expect(first.text).toContain('Credited. The account&#x27;s balance is now 500 MMK.')
    expect(second.status).toBe(409)
    expect(h.balanceMmk()).toBe(500)
    expect((await h.order(order.id)).reviewReason).toBe('resolved:amount_mismatch')
    expect(await h.payments.review.queue()).toEqual([])
  })

  test('a user who is not an admin cannot see it', async () => {
    h = await topupHarness({ sandbox: true })
    const browser = await signedIn()

    const response = await browser.get('/console/topups')

    expect(response.status).toBe(403)
  })
})
