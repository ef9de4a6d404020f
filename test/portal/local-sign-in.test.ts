import { afterAll, beforeAll, expect, test } from 'bun:test'
import { eq } from 'drizzle-orm'
import { lookup } from '../../src/portal/i18n'
import { Browser, portalTestApp, type PortalTestApp } from './support'

let app: PortalTestApp

beforeAll(async () => {
  app = await portalTestApp()
})
afterAll(() => app.close())

async function signInLocally(browser: Browser, name: string, headers = {}) {
  await browser.get('/signin')
  return browser.post('/signin/local', { name }, headers)
}

async function accountsNamed(name: string) {
  const t = app.services.db.t.accounts
  return app.services.db.orm.select().from(t).where(eq(t.name, name))
}

test("local sign-in never claims an account it didn't make, even by its exact name", async () => {
  const made = await app.services.accounts.create({ name: 'Daw Khin' })
  await app.services.keys.create(made.id, 'the-admins-users-key')
  const browser = new Browser(app, 'en')

  const signedIn = await signInLocally(browser, 'Daw Khin')
  const keys = await browser.get('/keys')

  expect(signedIn.status).toBe(303)
  expect(keys.text).not.toContain('the-admins-users-key')
  expect((await accountsNamed('Daw Khin')).map((a) => a.localName)).toEqual([null, 'Daw Khin'])
})

test('the same name signs in to the same local account, even when two arrive at once', async () => {
  const [first, second] = [new Browser(app, 'en'), new Browser(app, 'en')]
  await Promise.all([first.get('/signin'), second.get('/signin')])

  const statuses = await Promise.all(
    [first, second].map(async (b) => (await b.post('/signin/local', { name: 'Ko Aung' })).status),
  )
  const again = await signInLocally(new Browser(app, 'en'), 'Ko Aung')

  expect([...statuses, again.status]).toEqual([303, 303, 303])
  expect((await accountsNamed('Ko Aung')).length).toBe(1)
})

test('a request that came through a proxy or to another host is refused', async () => {
  const forwarded = await signInLocally(new Browser(app, 'en'), 'Proxied', {
    'x-forwarded-for': '203.0.113.9',
  })
  const standard = await signInLocally(new Browser(app, 'en'), 'Proxied', {
    forwarded: 'for=203.0.113.9',
  })
  const browser = new Browser(app, 'en')
  await browser.get('/signin')
  const otherHost = await browser.send(
    new Request('http://sargalay.example/signin/local', {
      method: 'POST',
      headers: {
        origin: 'http://sargalay.example',
        cookie: [...browser.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; '),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ name: 'Proxied', _csrf: browser.csrf }),
    }),
  )
  const page = await new Browser(app, 'en').get('/signin', { 'x-forwarded-for': '203.0.113.9' })

  expect([forwarded.status, standard.status, otherHost.status]).toEqual([403, 403, 403])
  expect(page.text).not.toContain('action="/signin/local"')
  expect(await accountsNamed('Proxied')).toEqual([])
})

test.each([
  ['NODE_ENV=production', { NODE_ENV: 'production' }],
  ['a public PUBLIC_BASE_URL', { PUBLIC_BASE_URL: 'https://sargalay.example' }],
])('local sign-in is neither offered nor accepted with %s', async (_, env) => {
  const server = await portalTestApp({ env })
  const browser = new Browser(server, 'en')

  const page = await browser.get('/signin')
  const refused = await browser.post('/signin/local', { name: 'Nobody' })

  expect(page.text).not.toContain('action="/signin/local"')
  expect(page.text).toContain(lookup('en', 'auth.unavailable')!)
  expect(refused.status).toBe(403)
  await server.close()
})
