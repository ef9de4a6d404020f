import { bodyTooLarge } from './api-error'
import { readCapped, type CappedText } from './read-capped'

export type RawBody = CappedText

/**
 * Reads the body as text, refusing more than `limit` bytes: a declared length over the limit
 * is refused before reading anything, and a body without one is counted while it arrives.
 */
export async function readBody(request: Request, limit: number): Promise<RawBody> {
  const declared = request.headers.get('content-length')
  if (declared !== null) {
    const bytes = Number(declared)
    if (!(bytes <= limit)) throw bodyTooLarge(limit)
    return { text: await request.text(), bytes }
  }
  if (!request.body) return { text: '', bytes: 0 }
  const body = await readCapped(request.body, limit)
  if (!body) throw bodyTooLarge(limit)
  return body
}
