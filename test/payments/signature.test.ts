import { describe, expect, test } from 'bun:test'
import { signPayload, verifyPayload } from '../../src/payments/signature'

// The test vector of PROTOCOLS.md §2.3, computed with Python's hmac and Node's crypto.
const secret = 'sk_test_example_secret'
const nonce = '1767225600000'
const body =
  '{"orderId":"tp_7KQ2M9X4RB1C","amount":5000,"currency":"MMK","vendor":"KBZPay","method":"QR",' +
  '"status":"SUCCESS","condition":"PRISTINE","transactionRefId":"939583046594",' +
  '"vendorQrRefId":"48309449034","customMessage":""}'
const signature = 'd80f256347fade621584110dd1b00b25eb3df776a6af85d8b66bd70e29b735df'

describe('MMPay signatures', () => {
  test('sign the specification vector to its published signature', () => {
    expect(signPayload(secret, nonce, body)).toBe(signature)
  })

  test('verify the published signature, in either case', () => {
    expect(verifyPayload(secret, nonce, body, signature)).toBe(true)
    expect(verifyPayload(secret, nonce, body, signature.toUpperCase())).toBe(true)
  })

  test.each([
    ['another secret', 'sk_test_other', nonce, body, signature],
    ['another nonce', secret, '1767225600001', body, signature],
    ['a re-serialized body', secret, nonce, JSON.stringify(JSON.parse(body), null, 1), signature],
    ['a truncated signature', secret, nonce, body, signature.slice(0, 63)],
    ['a non-hex signature', secret, nonce, body, 'z'.repeat(64)],
    ['an empty signature', secret, nonce, body, ''],
  ])('refuse %s', (_what, key, n, b, sig) => {
    expect(verifyPayload(key, n, b, sig)).toBe(false)
  })
})
