import { randomBytes } from 'node:crypto'

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz'

/**
 * A sortable id: milliseconds in base 36, then random characters, behind a short prefix that
 * says what the id names (acc_, key_, req_, …).
 */
export function newId(prefix: string, now = Date.now()): string {
  const time = now.toString(36).padStart(9, '0')
  const bytes = randomBytes(10)
  let tail = ''
  for (const byte of bytes) tail += alphabet[byte % 36]
  return `${prefix}_${time}${tail}`
}
