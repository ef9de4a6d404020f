import { bearerToken } from '../auth/api-keys'
import { constantTimeEqual } from '../lib/crypto'

/** Another way to prove admin power, such as a signed-in admin's session. */
export type AdminSessionCheck = (request: Request) => Promise<boolean>

/** True for the admin key (compared in constant time) or an admin's session; nothing else. */
export async function isAdminRequest(
  request: Request,
  adminKey: string,
  sessionCheck?: AdminSessionCheck,
): Promise<boolean> {
  const token = bearerToken(request.headers.get('authorization'))
  if (token !== undefined && constantTimeEqual(token, adminKey)) return true
  return sessionCheck ? sessionCheck(request) : false
}
