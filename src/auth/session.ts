import { jwt } from '@elysiajs/jwt'
import { sha256Hex } from '../lib/crypto'

/**
 * Portal sessions: a signed JWT that names the account, or says the browser proved the admin
 * key. Nothing else is in it, so the account row (and its admin flag) is read fresh each time.
 */
export type Session = { kind: 'account'; accountId: string } | { kind: 'admin-key' }

export interface SessionTokens {
  issue(session: Session): Promise<string>
  /** The session a token proves, or undefined for a forged, expired or stale token. */
  verify(token: string | undefined): Promise<Session | undefined>
}

export interface SessionOptions {
  secret: string
  ttlSeconds: number
  /** A changed admin key invalidates every admin-key session made with the old one. */
  adminKey: string
  now?: () => number
}

export function sessionTokens(options: SessionOptions): SessionTokens {
  const signer = jwt({ name: 'session', secret: options.secret, alg: 'HS256' }).decorator.session
  const adminFingerprint = sha256Hex(`session:${options.adminKey}`).slice(0, 16)
  const now = options.now ?? Date.now

  return {
    issue: (session) =>
      signer.sign({
        sub: session.kind === 'account' ? session.accountId : 'admin-key',
        kind: session.kind,
        ...(session.kind === 'admin-key' ? { akf: adminFingerprint } : {}),
        exp: Math.floor(now() / 1000) + options.ttlSeconds,
      }),

    verify: async (token) => {
      if (!token) return undefined
      const claims = await signer.verify(token)
      if (!claims || typeof claims.sub !== 'string') return undefined
      if (claims.kind === 'account') return { kind: 'account', accountId: claims.sub }
      if (claims.kind === 'admin-key' && claims.akf === adminFingerprint) {
        return { kind: 'admin-key' }
      }
      return undefined
    },
  }
}
