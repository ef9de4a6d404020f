import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import {
  ProviderBodyError,
  ProviderNetworkError,
  ProviderStatusError,
  WebhookSignatureError,
} from '../../src/payments/errors'
import { parseEmv } from '../../src/payments/emv'
import { MMPayProvider } from '../../src/payments/mmpay-provider'
import { signPayload } from '../../src/payments/signature'
import type { RunningSimulator } from '../../src/payments/simulator/simulator'
import { control, merchant, providerFor, testSimulator } from './support/sim'

let sim: RunningSimulator

beforeEach(() => {
  sim = testSimulator({ emitCreatedCallback: false })
})

afterEach(async () => {
  await sim.stop()
})

const input = { orderId: 'tp_0000000000000001', amount: 5000, callbackUrl: 'http://127.0.0.1:9/cb' }

describe('MMPay provider against the simulator', () => {
  test('creates a payment with a CRC-valid MMQR for the amount', async () => {
    const provider = providerFor(sim)

    const created = await provider.createPayment(input)

    expect(created).toEqual({
      orderId: input.orderId,
      providerRef: expect.stringMatching(/^\d{14}$/),
      qrPayload: expect.any(String),
      checkoutUrl: undefined,
      status: 'PENDING',
      raw: expect.any(Object),
    })
    expect(parseEmv(created.qrPayload).get('54')).toBe('5000')
  })

  test('reads and cancels a payment', async () => {
    const provider = providerFor(sim)
    await provider.createPayment(input)

    const before = await provider.getPayment(input.orderId)
    const cancelled = await provider.cancelPayment(input.orderId)
    const after = await provider.getPayment(input.orderId)

    expect([before.status, before.condition, before.amount]).toEqual(['PENDING', 'PRISTINE', 5000])
    expect(cancelled.status).toBe('CANCELLED')
    expect(after.status).toBe('CANCELLED')
  })

  test('uses the sandbox paths for test keys and the live paths otherwise', async () => {
    const live = new MMPayProvider({ ...merchant, baseUrl: sim.url, sandbox: false })

    const error = await live.getPayment(input.orderId).catch((e) => e)

    expect(providerFor(sim).sandbox).toBe(true)
    expect(error).toBeInstanceOf(ProviderStatusError)
    expect([error.status, error.code]).toEqual([401, 'KA0002'])
  })

  test('a wrong secret key is refused with KA0003', async () => {
    const wrong = new MMPayProvider({ ...merchant, secretKey: 'sk_test_wrong', baseUrl: sim.url })

    const error = await wrong.createPayment(input).catch((e) => e)

    expect([error.constructor, error.status, error.code]).toEqual([
      ProviderStatusError,
      401,
      'KA0003',
    ])
  })

  test('an unknown order is an error status, not a state', async () => {
    const error = await providerFor(sim)
      .getPayment('tp_missing')
      .catch((e) => e)

    expect([error.constructor, error.status, error.retryable]).toEqual([
      ProviderStatusError,
      404,
      false,
    ])
  })

  test('a 503 is a retryable status error', async () => {
    await control(sim, '/faults', { route: 'create', mode: 'status_503', times: 1 })

    const error = await providerFor(sim)
      .createPayment(input)
      .catch((e) => e)

    expect([error.constructor, error.status, error.retryable]).toEqual([
      ProviderStatusError,
      503,
      true,
    ])
  })

  test('a provider that does not answer in time is a network error that says so', async () => {
    await control(sim, '/faults', { route: 'create', mode: 'hang', times: 1 })

    const error = await providerFor(sim, { timeoutMs: 200 })
      .createPayment(input)
      .catch((e) => e)

    expect([error.constructor, error.timedOut, error.retryable]).toEqual([
      ProviderNetworkError,
      true,
      true,
    ])
  })

  test('an unreachable provider is a network error', async () => {
    const nowhere = new MMPayProvider({ ...merchant, baseUrl: 'http://127.0.0.1:9' })

    const error = await nowhere.getPayment(input.orderId).catch((e) => e)

    expect([error.constructor, error.timedOut]).toEqual([ProviderNetworkError, false])
  })

  test('a body that is not JSON is an unexpected-body error', async () => {
    await control(sim, '/faults', { route: 'get', mode: 'malformed', times: 1 })

    const error = await providerFor(sim)
      .getPayment(input.orderId)
      .catch((e) => e)

    expect([error.constructor, error.operation]).toEqual([ProviderBodyError, 'get'])
  })
})

describe('webhook verification', () => {
  const provider = new MMPayProvider({ ...merchant, baseUrl: 'http://127.0.0.1:9' })
  const body = JSON.stringify({
    orderId: 'tp_1',
    amount: 5000,
    status: 'SUCCESS',
    condition: 'TOUCHED',
  })
  const now = 1_767_225_600_000
  const headers = (nonce: string, signature = signPayload(merchant.secretKey, nonce, body)) =>
    new Headers({ 'x-mmpay-nonce': nonce, 'x-mmpay-signature': signature })

  test('accepts a signed callback and marks SUCCESS+TOUCHED as a redelivery', () => {
    const event = provider.verifyWebhook(body, headers(String(now)), now)

    expect([event.orderId, event.amount, event.status, event.isRedelivery]).toEqual([
      'tp_1',
      5000,
      'SUCCESS',
      true,
    ])
  })

  test.each([
    ['a wrong signature', String(now), 'ab'.repeat(32)],
    ['a nonce that is not digits', 'abc', undefined],
    ['a nonce older than the window', String(now - 86_400_001), undefined],
  ])('refuses %s', (_what, nonce, signature) => {
    expect(() => provider.verifyWebhook(body, headers(nonce, signature), now)).toThrow(
      WebhookSignatureError,
    )
  })
})
