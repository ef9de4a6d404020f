import { createHmac, timingSafeEqual } from 'node:crypto'

/**
 * MMPay's signature: lowercase hex HMAC-SHA256 keyed by the secret key over
 * `nonce + "." + body`, where body is exactly the bytes sent or received.
 */
export function signPayload(secretKey: string, nonce: string, body: string): string {
  return createHmac('sha256', secretKey).update(`${nonce}.${body}`).digest('hex')
}

const hexSignature = /^[0-9a-f]{64}$/i

/** Constant-time check of a received signature; a malformed one is simply false. */
export function verifyPayload(
  secretKey: string,
  nonce: string,
  body: string,
  signature: string,
): boolean {
  if (!hexSignature.test(signature)) return false
  const expected = Buffer.from(signPayload(secretKey, nonce, body), 'hex')
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'))
}
