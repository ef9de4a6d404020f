import { Elysia, t } from 'elysia'
import { githubOAuth, GithubSignInError, type GithubOAuth } from '../../auth/github-oauth'
import type { Session } from '../../auth/session'
import { accountForGithubUser, localAccount } from '../../auth/sign-in'
import { listensOnLoopback, publicBaseUrl, type Config } from '../../config'
import { addressLimitPage } from '../../http/address-limit'
import { contextOf } from '../../http/request-context'
import { constantTimeEqual } from '../../lib/crypto'
import { SignInPage, type SignInProps } from '../../../views/pages/signin'
import { clearCookie, readCookie, serializeCookie } from '../cookies'
import { portalContext, SESSION_COOKIE, type PortalContext, type PortalDeps } from '../context'
import { errorPage } from '../error-page'
import { plainName } from '../../lib/plain-name'
import { portalPlugin } from '../plugin'
import { page, redirect, safeNext } from '../render'

const STATE_COOKIE = 'sg_oauth_state'
const STATE_SECONDS = 600

export function githubConfigured(config: Config) {
  return Boolean(config.GITHUB_CLIENT_ID && config.GITHUB_CLIENT_SECRET)
}

/**
 * Local sign-in is for trying Sargalay on one's own machine, never on a reachable server. A
 * server listening on loopback may still be reached through a reverse proxy, so a production
 * run, a public address, or a request that a proxy forwarded or addressed to another host
 * each rule it out.
 */
export function localSignInAllowed(config: Config, request: Request) {
  if (githubConfigured(config) || config.NODE_ENV === 'production') return false
  if (!listensOnLoopback(config) || !loopbackUrl(config.PUBLIC_BASE_URL)) return false

  const proxied = request.headers.has('forwarded') || request.headers.has('x-forwarded-for')
  return !proxied && loopbackUrl(request.url)
}

function loopbackUrl(url: string | undefined) {
  if (!url) return true
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '')
  return listensOnLoopback({ HOST: host })
}

/** Sign-in (GitHub or local), the OAuth callback and sign-out. */
export function authRoutes(deps: PortalDeps) {
  const { services, sessions } = deps
  const { config, logger, clock } = services
  const github = githubFromConfig(config)
  const signInLimit = addressLimitPage(
    { what: 'sign-in attempts', perMinute: config.SIGNIN_PER_MINUTE_PER_ADDRESS, config, clock },
    async (request) => errorPage(await portalContext(deps, request), 429),
  )

  const signInPage = (ctx: PortalContext, props: Partial<SignInProps>, status = 200) =>
    page(
      ctx,
      { title: ctx.i18n.t('auth.title'), status },
      <SignInPage
        ctx={ctx}
        github={github !== undefined}
        local={localSignInAllowed(config, ctx.request)}
        next={props.next ?? '/dashboard'}
        {...props}
      />,
    )

  const startSession = async (ctx: PortalContext, session: Session, next: string) => {
    const token = await sessions.issue(session)
    const maxAgeSeconds = config.SESSION_TTL_SECONDS
    ctx.cookies.push(serializeCookie(SESSION_COOKIE, token, { maxAgeSeconds, secure: ctx.secure }))
    return redirect(ctx, safeNext(next))
  }

  return new Elysia({ name: 'portal-auth' })
    .use(portalPlugin(deps))
    .get('/signin', ({ portal, query }) => signInPage(portal, { next: safeNext(query.next) }), {
      query: t.Object({ next: t.Optional(t.String()) }),
    })
    .post(
      '/signin/local',
      async ({ portal, body }) => {
        if (!localSignInAllowed(config, portal.request)) return signInPage(portal, {}, 403)
        const name = plainName(body.name)
        if (!name) return signInPage(portal, { message: 'settings.nameInvalid' }, 400)
        const account = await localAccount(services, name)
        logger.info('signed_in', {
          requestId: contextOf(portal.request).id,
          accountId: account.id,
          method: 'local',
        })
        return startSession(portal, { kind: 'account', accountId: account.id }, body.next ?? '')
      },
      {
        beforeHandle: signInLimit,
        body: t.Object({ name: t.String(), next: t.Optional(t.String()), _csrf: t.String() }),
      },
    )
    .get(
      '/auth/github',
      ({ portal, query }) => {
        if (!github) return signInPage(portal, {}, 404)
        const state = github.newState()
        const value = `${state}|${safeNext(query.next)}`
        portal.cookies.push(
          serializeCookie(STATE_COOKIE, value, {
            maxAgeSeconds: STATE_SECONDS,
            secure: portal.secure,
            path: '/auth/github',
          }),
        )
        return redirect(portal, github.authorizationUrl(state).toString(), { offSite: true })
      },
      { query: t.Object({ next: t.Optional(t.String()) }) },
    )
    .get(
      '/auth/github/callback',
      async ({ portal, query, request }) => {
        if (!github) return signInPage(portal, {}, 404)
        const stored = readCookie(request, STATE_COOKIE) ?? ''
        portal.cookies.push(clearCookie(STATE_COOKIE, portal.secure, '/auth/github'))
        const [expectedState = '', next = '/dashboard'] = stored.split('|')

        if (query.error === 'access_denied')
          return signInPage(portal, { message: 'auth.denied', next })
        if (query.error) return signInPage(portal, { message: 'auth.failed', next }, 400)
        if (
          !query.state ||
          !expectedState ||
          !constantTimeEqual(query.state, expectedState) ||
          !query.code
        ) {
          return signInPage(portal, { message: 'auth.stateMismatch' }, 400)
        }
        return finishGithub(github, portal, query.code, next)
      },
      {
        beforeHandle: signInLimit,
        query: t.Object({
          code: t.Optional(t.String()),
          state: t.Optional(t.String()),
          error: t.Optional(t.String()),
        }),
      },
    )
    .post('/signout', async ({ portal }) => {
      await sessions.end(readCookie(portal.request, SESSION_COOKIE))
      portal.cookies.push(clearCookie(SESSION_COOKIE, portal.secure))
      return redirect(portal, '/')
    })

  async function finishGithub(github: GithubOAuth, ctx: PortalContext, code: string, next: string) {
    const requestId = contextOf(ctx.request).id
    try {
      const user = await github.signIn(code, ctx.request.signal)
      const account = await accountForGithubUser(services, user)
      logger.info('signed_in', { requestId, accountId: account.id, method: 'github' })
      return startSession(ctx, { kind: 'account', accountId: account.id }, next)
    } catch (error) {
      if (!(error instanceof GithubSignInError)) throw error
      logger.warn('github_sign_in_failed', {
        requestId,
        failure: error.failure,
        githubCode: error.githubCode,
      })
      const status = error.failure === 'rejected' ? 400 : 502
      return signInPage(ctx, { message: 'auth.failed' }, status)
    }
  }
}

function githubFromConfig(config: Config): GithubOAuth | undefined {
  const { GITHUB_CLIENT_ID: clientId, GITHUB_CLIENT_SECRET: clientSecret } = config
  if (!clientId || !clientSecret) return undefined
  return githubOAuth({
    clientId,
    clientSecret,
    redirectUri: `${publicBaseUrl(config)}/auth/github/callback`,
    baseUrl: config.GITHUB_BASE_URL,
    apiUrl: config.GITHUB_API_URL,
  })
}
