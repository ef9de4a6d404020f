import { randomFillSync } from 'node:crypto'

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz'
const hex = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

// Every proxied request takes two ids. Asking the system for ten random bytes at a time cost
// more than the rest of the id, so random bytes are drawn from a pool refilled 4 KiB at once.
const pool = new Uint8Array(4096)
let used = pool.length

function takeRandom(count: number): number {
  if (used + count > pool.length) {
    randomFillSync(pool)
    used = 0
  }
  const start = used
  used += count
  return start
}

/**
 * A sortable id: milliseconds in base 36, then random characters, behind a short prefix that
 * says what the id names (acc_, key_, req_, …).
 */
export function newId(prefix: string, now = Date.now()): string {
  const time = now.toString(36).padStart(9, '0')
  const start = takeRandom(10)
  let tail = ''
  for (let i = start; i < start + 10; i++) tail += alphabet[pool[i]! % 36]
  return `${prefix}_${time}${tail}`
}

/** `bytes` random bytes as lowercase hex, from the same pool. */
export function randomHex(bytes: number): string {
  const start = takeRandom(bytes)
  let text = ''
  for (let i = start; i < start + bytes; i++) text += hex[pool[i]!]
  return text
}
