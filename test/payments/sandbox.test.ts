import { expect, test } from 'bun:test'
import { buildTestApp, testConfig } from '../support/app'
import { audit } from '../support/ledger'

test('without MMPay credentials a local simulator is started, announced and stopped', async () => {
  // Port 9 (discard) stands in for a gateway nobody listens to; the created callback goes there.
  const env = await buildTestApp({ env: { PUBLIC_BASE_URL: 'http://127.0.0.1:9' } })
  const running = env.services.payments.sandbox
  const account = await env.services.accounts.create({ name: 'Sandbox user' })

  const order = await env.services.payments.topups.create({
    accountId: account.id,
    amountMmk: 1000,
  })
  const problems = await audit(env.services)
  await env.close()

  expect(running?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  expect(env.services.payments.provider.sandbox).toBe(true)
  expect(order.status).toBe('PENDING')
  expect(env.logs.some((line) => line.includes('"event":"payments_sandbox"'))).toBe(true)
  expect(problems).toEqual([])
  expect(await fetch(`${running!.url}/__sim/deliveries`).catch(() => 'stopped')).toBe('stopped')
})

test('MMPay credentials must be given all together', () => {
  const error = (() => {
    try {
      return testConfig({ MMPAY_SECRET_KEY: 'sk_live_x' })
    } catch (e) {
      return e as Error
    }
  })()

  expect(String((error as Error).message)).toContain('MMPay needs all of MMPAY_APP_ID')
})
