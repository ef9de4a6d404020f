import { afterAll, beforeAll, expect, test } from 'bun:test'
import { lookup } from '../../src/portal/i18n'
import { ADMIN_KEY } from '../support/app'
import { usageRow } from '../support/ledger'
import { Browser, portalTestApp, type PortalTestApp } from './support'

let app: PortalTestApp

beforeAll(async () => {
  app = await portalTestApp()
})
afterAll(() => app.close())

async function twoAccounts() {
  const mine = await app.services.accounts.create({ name: 'Mine' })
  const theirs = await app.services.accounts.create({ name: 'Theirs' })
  const theirKey = await app.services.keys.create(theirs.id, 'their key')
  const browser = new Browser(app, 'en')
  await browser.signInAs(mine)
  return { mine, theirs, theirKey, browser }
}

test("every route acting on an id answers 404 for another account's id", async () => {
  const { browser, theirKey } = await twoAccounts()

  const answers = [
    await browser.post(`/keys/${theirKey.id}/revoke`, {}),
    await browser.get(`/usage?key=${theirKey.id}`),
    await browser.get(`/usage.csv?key=${theirKey.id}`),
    await browser.get(`/usage/totals?key=${theirKey.id}`),
  ]

  expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404])
  expect(app.services.keys.authenticate(theirKey.key)?.id).toBe(theirKey.id)
})

test("usage pages list only the signed-in account's requests", async () => {
  const { browser, mine, theirs } = await twoAccounts()
  await app.services.db.write((tx) =>
    tx
      .insert(app.services.db.t.usageRecords)
      .values([
        usageRow({ accountId: mine.id, model: 'mine/model' }),
        usageRow({ accountId: theirs.id, model: 'their/model' }),
      ]),
  )

  const page = await browser.get('/usage')
  const csv = await browser.get('/usage.csv')

  expect(page.text).toContain('mine/model')
  expect(page.text).not.toContain('their/model')
  expect(csv.text).toContain('mine/model')
  expect(csv.text).not.toContain('their/model')
})

test('a user name with markup is shown escaped wherever it appears', async () => {
  const hostile = await app.services.accounts.create({ name: '<script>alert("name")</script>' })
  const browser = new Browser(app, 'en')
  await browser.signInAs(hostile)
  const adminBrowser = new Browser(app, 'en')
  await adminBrowser.signInAs(await app.services.accounts.create({ name: 'Admin', isAdmin: true }))

  const pages = [
    await browser.get('/dashboard'),
    await browser.get('/settings'),
    await adminBrowser.get('/console'),
    await adminBrowser.get(`/console/users/${hostile.id}`),
  ]

  for (const page of pages) {
    expect(page.text).not.toContain('<script>alert("name")')
    expect(page.text).toContain('&lt;script&gt;alert(')
  }
})

test("a model's name and description with markup are shown escaped", async () => {
  const browser = new Browser(app, 'en')

  const detail = await browser.get('/models/evil/injector')
  const list = await browser.get('/models?q=injector')

  for (const page of [detail, list]) {
    expect(page.status).toBe(200)
    expect(page.text).not.toContain('<img src=x')
    expect(page.text).toContain('Injector &lt;img src=x onerror=alert(1)&gt;')
  }
  expect(detail.text).not.toContain('<script>alert("model")')
  expect(detail.text).toContain('&lt;script&gt;alert(')
})

test('a state-changing form posted from a foreign origin is refused', async () => {
  const { browser, mine } = await twoAccounts()

  const foreign = await browser.post('/keys', { name: 'evil' }, { origin: 'https://evil.example' })
  const crossSite = await browser.post(
    '/keys',
    { name: 'evil' },
    { origin: '', 'sec-fetch-site': 'cross-site' },
  )
  const noToken = await browser.post('/keys', { name: 'evil', _csrf: '' })
  const wrongToken = await browser.post('/keys', { name: 'evil', _csrf: 'forged-token-value' })
  const ours = await browser.post('/keys', { name: 'mine' })

  expect([foreign, crossSite, noToken, wrongToken, ours].map((r) => r.status)).toEqual([
    403, 403, 403, 403, 200,
  ])
  expect(foreign.text).toContain(lookup('en', 'errors.csrf')!)
  const names = (await app.services.keys.listForAccount(mine.id)).map((key) => key.name)
  expect(names).toEqual(['mine'])
})

test('the JSON admin API accepts an admin session only from our own origin', async () => {
  const admin = await app.services.accounts.create({ name: 'Boss', isAdmin: true })
  const user = await app.services.accounts.create({ name: 'User' })
  const browser = new Browser(app, 'en')
  await browser.signInAs(admin)
  const userBrowser = new Browser(app, 'en')
  await userBrowser.signInAs(user)
  const credit = (b: Browser, origin: string) =>
    b.send(
      new Request(`http://localhost/admin/users/${user.id}/credits`, {
        method: 'POST',
        headers: {
          cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          'content-type': 'application/json',
          origin,
        },
        body: JSON.stringify({ amount_mmk: 100, reason: 'gift' }),
      }),
    )

  const fromUs = await credit(browser, 'http://localhost')
  const fromElsewhere = await credit(browser, 'https://evil.example')
  const notAdmin = await credit(userBrowser, 'http://localhost')

  expect([fromUs.status, fromElsewhere.status, notAdmin.status]).toEqual([200, 401, 401])
  expect(app.services.ledger.fundsOf(user.id).balanceUnits).toBe(100 * 10_000)
})

test('session cookies are HttpOnly and SameSite=Lax, and Secure behind HTTPS', async () => {
  const secureApp = await portalTestApp({ env: { PUBLIC_BASE_URL: 'https://sargalay.example' } })
  const browser = new Browser(secureApp, 'en')
  await browser.get('/console/signin')

  const plain = await new Browser(app, 'en').get('/signin')
  // Local sign-in is refused behind a public address, so the admin key signs in here.
  const response = await browser.post(
    '/console/signin',
    { key: ADMIN_KEY },
    { origin: 'https://sargalay.example' },
  )

  expect(plain.headers.get('set-cookie')).toMatch(/HttpOnly/)
  expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/)
  const session = response.headers.getSetCookie().find((c) => c.startsWith('sg_session='))
  expect(session).toMatch(/; SameSite=Lax; HttpOnly; Secure$/)
  await secureApp.close()
})
