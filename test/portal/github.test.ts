import { afterAll, beforeAll, expect, test } from 'bun:test'
import { githubOAuth, GithubSignInError } from '../../src/auth/github-oauth'
import { lookup } from '../../src/portal/i18n'
import { Browser, portalTestApp, type PortalTestApp } from './support'
import { FakeGithub } from './fake-github'

let github: FakeGithub
let app: PortalTestApp

beforeAll(async () => {
  github = new FakeGithub()
  app = await portalTestApp({
    env: {
      GITHUB_CLIENT_ID: github.clientId,
      GITHUB_CLIENT_SECRET: github.clientSecret,
      GITHUB_BASE_URL: github.baseUrl,
      GITHUB_API_URL: github.baseUrl,
      PUBLIC_BASE_URL: 'http://localhost',
      ADMIN_GITHUB_LOGINS: 'Boss',
    },
  })
})
afterAll(async () => {
  await app.close()
  await github.stop()
})

/** Starts a sign-in and lets the fake GitHub answer; returns the callback path it sent us to. */
async function startSignIn(browser: Browser, login = '') {
  const start = await browser.get('/auth/github?next=/keys')
  const authorize = new URL(start.headers.get('location')!)
  if (login) authorize.searchParams.set('login', login)
  const answer = await fetch(authorize, { redirect: 'manual' })
  const callback = new URL(answer.headers.get('location')!)
  return { start, authorize, callback: callback.pathname + callback.search }
}

test('signing in with GitHub creates the account once and opens a session', async () => {
  const browser = new Browser(app, 'en')

  const { start, authorize, callback } = await startSignIn(browser)
  const done = await browser.get(callback)
  const again = new Browser(app, 'en')
  await again.get((await startSignIn(again)).callback)

  expect(start.status).toBe(303)
  const stateCookie = start.headers.getSetCookie().find((c) => c.startsWith('sg_oauth_state='))
  expect(stateCookie).toMatch(/Max-Age=600; SameSite=Lax; HttpOnly$/)
  expect(authorize.searchParams.get('redirect_uri')).toBe('http://localhost/auth/github/callback')
  expect(authorize.searchParams.get('scope')).toBe('read:user user:email')
  expect(done.headers.get('location')).toBe('/keys')
  expect(browser.cookies.has('sg_session')).toBe(true)
  const account = await app.services.accounts.findByGithubId('4242')
  expect(account).toMatchObject({
    name: 'Mg Mg',
    githubLogin: 'mgmg',
    email: 'mgmg@example.com',
    isAdmin: false,
  })
  expect((await browser.get('/keys')).status).toBe(200)
  expect(again.cookies.has('sg_session')).toBe(true)
  expect(github.tokenRequests.at(-1)?.body).toContain('grant_type=authorization_code')
})

test('a callback whose state does not match the cookie is refused', async () => {
  const browser = new Browser(app, 'en')
  const { callback } = await startSignIn(browser)

  const forged = await browser.get(callback.replace(/state=[^&]+/, 'state=forged'))
  const noCookie = await new Browser(app, 'en').get(callback)

  expect([forged.status, noCookie.status]).toEqual([400, 400])
  expect(forged.text).toContain(lookup('en', 'auth.stateMismatch')!)
  expect(browser.cookies.has('sg_session')).toBe(false)
})

test("GitHub's HTTP-200 error body for a reused code is treated as a failed sign-in", async () => {
  const first = new Browser(app, 'en')
  const { callback } = await startSignIn(first)
  await first.get(callback)
  const replay = new Browser(app, 'en')
  const state = new URL(callback, 'http://localhost').searchParams.get('state')!
  replay.cookies.set('sg_oauth_state', `${state}|/keys`)

  const answer = await replay.get(callback)

  expect(answer.status).toBe(400)
  expect(answer.text).toContain(lookup('en', 'auth.failed')!)
  expect(replay.cookies.has('sg_session')).toBe(false)
  expect(app.logs.some((line) => line.includes('"githubCode":"bad_verification_code"'))).toBe(true)
})

test('a user who cancels on GitHub sees a friendly page', async () => {
  const browser = new Browser(app, 'my')

  const { callback } = await startSignIn(browser, 'deny')
  const answer = await browser.get(callback)

  expect(answer.status).toBe(200)
  expect(answer.text).toContain(lookup('my', 'auth.denied')!)
  expect(browser.cookies.has('sg_session')).toBe(false)
})

test('a login listed in ADMIN_GITHUB_LOGINS becomes an admin', async () => {
  github.user = { id: 7, login: 'boss', name: null, email: 'boss@example.com' }
  const browser = new Browser(app, 'en')

  await browser.get((await startSignIn(browser)).callback)

  const account = await app.services.accounts.findByGithubId('7')
  expect(account).toMatchObject({ name: 'boss', isAdmin: true })
  expect((await browser.get('/console')).status).toBe(200)
})

test('with GitHub configured, local sign-in is refused', async () => {
  const browser = new Browser(app, 'en')
  const page = await browser.get('/signin')

  const answer = await browser.post('/signin/local', { name: 'Sneaky' })

  expect(page.text).toContain('/auth/github')
  expect(page.text).not.toContain('/signin/local')
  expect(answer.status).toBe(403)
})

test('the wrapper turns each GitHub failure into a typed error', async () => {
  const wrapper = (clientSecret: string, baseUrl = github.baseUrl) =>
    githubOAuth({
      clientId: github.clientId,
      clientSecret,
      redirectUri: 'http://localhost/cb',
      baseUrl,
      apiUrl: baseUrl,
    })
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => 'no error',
      (error) =>
        error instanceof GithubSignInError ? [error.failure, error.githubCode] : String(error),
    )

  const results = [
    await failure(wrapper(github.clientSecret).signIn('never-issued')),
    await failure(wrapper('wrong-secret').signIn('x')),
    await failure(wrapper(github.clientSecret, 'http://127.0.0.1:9').signIn('x')),
  ]

  expect(results).toEqual([
    ['rejected', 'bad_verification_code'],
    ['rejected', 'incorrect_client_credentials'],
    ['network', undefined],
  ])
})
