import type { Server } from 'elysia/universal'

/** What stands for the client when the socket is unknown: `app.handle` in tests, for one. */
export const UNKNOWN_ADDRESS = 'unknown'

/**
 * The client's address for per-address limits. X-Forwarded-For is anyone's to write, so it
 * counts only when `trustForwardedFor` says a proxy we run sets it; then its last entry, the
 * one that proxy appended, is the client.
 */
export function clientAddress(
  request: Request,
  server: Pick<Server, 'requestIP'> | null,
  trustForwardedFor: boolean,
): string {
  if (trustForwardedFor) {
    const forwarded = request.headers.get('x-forwarded-for')
    const last = forwarded?.split(',').at(-1)?.trim()
    if (last) return last.slice(0, 64)
  }
  return server?.requestIP(request)?.address ?? UNKNOWN_ADDRESS
}
