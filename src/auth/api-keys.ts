import { randomBytes } from 'node:crypto'
import { sha256Hex } from '../lib/crypto'

/** `sk-sg-` and 32 random bytes; only the hash and a short prefix are ever stored. */
export function generateApiKey() {
  const key = `sk-sg-${randomBytes(32).toString('base64url')}`
  return { key, hash: sha256Hex(key), prefix: visiblePrefix(key) }
}

export function visiblePrefix(key: string) {
  return `${key.slice(0, 10)}…${key.slice(-4)}`
}

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | null | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')
  return match?.[1]
}
