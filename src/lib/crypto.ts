import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** SHA-256 as hex; Bun's one-shot hash, about three times quicker than a node:crypto Hash. */
export function sha256Hex(value: string): string {
  return Bun.SHA256.hash(value, 'hex') as string
}

/** Compares two secrets in time that depends only on their lengths, never their contents. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest()
  const right = createHash('sha256').update(b).digest()
  return timingSafeEqual(left, right) && a.length === b.length
}

export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url')
}
