import { jwt } from '@elysiajs/jwt'
import { randomToken, sha256Hex } from '../lib/crypto'
import type { SessionRevocations } from './session-revocations'

/**
 * Portal sessions: a signed JWT that names the account, or says the browser proved the admin
 * key, and carries its own id so that signing out can end it. Nothing else is in it, so the
 * account row (and its admin flag) is read fresh each time.
 */
export type Session = { kind: 'account'; accountId: string } | { kind: 'admin-key' }

export interface SessionTokens {
  issue(session: Session): Promise<string>
  /** The session a token proves, or undefined for a forged, expired, stale or ended token. */
  verify(token: string | undefined): Promise<Session | undefined>
  /** Ends the session a token proves, so no copy of it works again; nothing for a bad token. */
  end(token: string | undefined): Promise<void>
}

export interface SessionOptions {
  secret: string
  ttlSeconds: number
  /** A changed admin key invalidates every admin-key session made with the old one. */
  adminKey: string
  /** Where ended sessions are kept; without it, signing out only drops the cookie. */
  revocations?: Pick<SessionRevocations, 'isEnded' | 'end'>
  now?: () => number
}

export function sessionTokens(options: SessionOptions): SessionTokens {
  const signer = jwt({ name: 'session', secret: options.secret, alg: 'HS256' }).decorator.session
  const adminFingerprint = sha256Hex(`session:${options.adminKey}`).slice(0, 16)
  const now = options.now ?? Date.now
  const { revocations } = options

  const validClaims = async (token: string | undefined) => {
    if (!token) return undefined
    const claims = await signer.verify(token)
    if (!claims || typeof claims.sub !== 'string') return undefined
    if (typeof claims.jti === 'string' && revocations?.isEnded(claims.jti)) return undefined
    return claims
  }

  return {
    issue: (session) =>
      signer.sign({
        sub: session.kind === 'account' ? session.accountId : 'admin-key',
        kind: session.kind,
        ...(session.kind === 'admin-key' ? { akf: adminFingerprint } : {}),
        jti: randomToken(16),
        exp: Math.floor(now() / 1000) + options.ttlSeconds,
      }),

    verify: async (token) => {
      const claims = await validClaims(token)
      if (!claims) return undefined
      if (claims.kind === 'account') return { kind: 'account', accountId: claims.sub! }
      if (claims.kind === 'admin-key' && claims.akf === adminFingerprint) {
        return { kind: 'admin-key' }
      }
      return undefined
    },

    end: async (token) => {
      const claims = await validClaims(token)
      if (!claims || typeof claims.jti !== 'string' || typeof claims.exp !== 'number') return
      await revocations?.end(claims.jti, claims.exp * 1000)
    },
  }
}
