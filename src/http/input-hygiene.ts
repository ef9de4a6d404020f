import { Elysia } from 'elysia'
import { invalidRequest } from './api-error'

const NUL = '\u0000'
const MAX_DEPTH = 64

/** True when any string in `value` (keys included) holds a NUL character. */
function holdsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes(NUL)
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return false
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes(NUL) || holdsNul(inner, depth + 1)) return true
  }
  return false
}

/**
 * Refuses text with NUL characters anywhere in the URL or a parsed body. PostgreSQL cannot
 * store NUL in text, so one such value would fail its write with a 500 and, in a ledger note,
 * fail every group commit after it; no field of ours has a use for it.
 */
export function inputHygiene() {
  return new Elysia({ name: 'input-hygiene' }).onBeforeHandle(
    { as: 'global' },
    function refuseNul({ request, body }) {
      if (request.url.includes('%00') || holdsNul(body)) {
        throw invalidRequest('Text may not contain NUL characters.', null, 'invalid_text')
      }
    },
  )
}
