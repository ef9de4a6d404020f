import { randomBytes } from 'node:crypto'
import type { Account } from '../auth/accounts'
import { sessionTokens, type Session, type SessionTokens } from '../auth/session'
import { publicBaseUrl } from '../config'
import { contextOf } from '../http/request-context'
import type { Services } from '../services'
import { readCookie, serializeCookie } from './cookies'
import { CSRF_COOKIE, csrfToken } from './csrf'
import { i18nFor, type I18n, type Lang } from './i18n'
import { chooseLanguage, LANG_COOKIE } from './language'
import { SpendCache } from './queries/spend'
import { UsageTotalsCache } from './queries/usage-totals-cache'

export const SESSION_COOKIE = 'sg_session'

/** What every portal page knows about the request it answers. */
export interface PortalContext {
  request: Request
  lang: Lang
  i18n: I18n
  /** The path and query of this page without `lang`, for the language switch. */
  path: string
  account?: Account
  /** True for an admin account or a browser that proved the admin key. */
  isAdmin: boolean
  session?: Session
  csrfToken: string
  /** The built-in demo upstream answers instead of real models. */
  demo: boolean
  /** Cookies to send with the answer (language, CSRF seed, session changes). */
  cookies: string[]
  /** Behind HTTPS: cookies get the Secure flag. */
  secure: boolean
  /** Origins a state-changing request may come from. */
  ownOrigins: string[]
}

export interface PortalDeps {
  services: Services
  sessions: SessionTokens
  spend: SpendCache
  usageTotals: UsageTotalsCache
}

const LANG_COOKIE_SECONDS = 365 * 24 * 3600
const CSRF_COOKIE_SECONDS = 30 * 24 * 3600

const depsOf = new WeakMap<Services, PortalDeps>()

/** What portal plugins share; one per services, so every part may ask for it. */
export function portalDeps(services: Services): PortalDeps {
  let deps = depsOf.get(services)
  if (!deps) {
    const { config } = services
    const sessions = sessionTokens({
      secret: config.JWT_SECRET,
      ttlSeconds: config.SESSION_TTL_SECONDS,
      adminKey: config.ADMIN_KEY,
      revocations: services.revokedSessions,
    })
    deps = {
      services,
      sessions,
      spend: new SpendCache(services.db),
      usageTotals: new UsageTotalsCache(services.db),
    }
    depsOf.set(services, deps)
  }
  return deps
}

const contexts = new WeakMap<Request, Promise<PortalContext>>()

/** The request's portal context, built once per request however many plugins ask. */
export function portalContext(deps: PortalDeps, request: Request): Promise<PortalContext> {
  let context = contexts.get(request)
  if (!context) {
    context = buildContext(deps, request)
    contexts.set(request, context)
  }
  return context
}

async function buildContext(deps: PortalDeps, request: Request): Promise<PortalContext> {
  const { services, sessions } = deps
  const url = new URL(request.url)
  const secure = isSecure(services, url)
  const cookies: string[] = []

  const { lang, fromQuery } = chooseLanguage(request)
  if (fromQuery) {
    cookies.push(serializeCookie(LANG_COOKIE, lang, { maxAgeSeconds: LANG_COOKIE_SECONDS, secure }))
  }

  let seed = readCookie(request, CSRF_COOKIE)
  if (!seed || seed.length < 16) {
    seed = randomBytes(24).toString('base64url')
    cookies.push(serializeCookie(CSRF_COOKIE, seed, { maxAgeSeconds: CSRF_COOKIE_SECONDS, secure }))
  }

  const session = await sessions.verify(readCookie(request, SESSION_COOKIE))
  const account =
    session?.kind === 'account' ? await services.accounts.get(session.accountId) : undefined
  if (account) contextOf(request).accountId = account.id
  url.searchParams.delete('lang')

  return {
    request,
    lang,
    i18n: i18nFor(lang),
    path: url.pathname + url.search,
    account,
    isAdmin: session?.kind === 'admin-key' || account?.isAdmin === true,
    session: session?.kind === 'account' && !account ? undefined : session,
    csrfToken: csrfToken(services.config.JWT_SECRET, seed),
    demo: services.upstream.demo,
    cookies,
    secure,
    ownOrigins: ownOrigins(services, url),
  }
}

function isSecure(services: Services, url: URL) {
  return url.protocol === 'https:' || publicBaseUrl(services.config).startsWith('https:')
}

function ownOrigins(services: Services, url: URL) {
  const configured = new URL(publicBaseUrl(services.config)).origin
  return configured === url.origin ? [url.origin] : [url.origin, configured]
}
