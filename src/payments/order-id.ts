import { randomBytes } from 'node:crypto'

// Crockford's base32: no I, L, O or U, so an id read aloud or retyped survives.
const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/**
 * `tp_` and 16 random base32 characters: 19 characters of `[A-Za-z0-9_]`, inside the strictest
 * wallet limit we know of (20) and 80 bits of randomness, so ids cannot be guessed.
 */
export function newOrderId(): string {
  let tail = ''
  for (const byte of randomBytes(16)) tail += crockford[byte & 31]
  return `tp_${tail}`
}

export const orderIdPattern = /^tp_[0-9A-HJKMNP-TV-Z]{16}$/
