import { unauthorized } from '../http/api-error'
import type { ActiveKey, KeyIndex } from './key-index'

/** The token in `Authorization: Bearer …`, or an empty string when none was sent. */
export function bearerToken(request: Request): string {
  const header = request.headers.get('authorization') ?? ''
  return /^bearer /i.test(header) ? header.slice(7).trim() : ''
}

/**
 * The live API key the request sends, or undefined when it sends none; a key that is sent but
 * is not live is a 401, whether or not the route needs one.
 */
export function keyIfSent(keys: KeyIndex, request: Request): ActiveKey | undefined {
  const raw = bearerToken(request)
  if (!raw) return undefined
  const key = keys.authenticate(raw)
  if (!key) throw unauthorized('Incorrect API key provided.')
  return key
}

/** The live API key in `Authorization: Bearer …`; 401 otherwise. */
export function authenticate(keys: KeyIndex, request: Request): ActiveKey {
  const key = keyIfSent(keys, request)
  if (!key) throw unauthorized('Missing API key. Send it as "Authorization: Bearer <key>".')
  return key
}
