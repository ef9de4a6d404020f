import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { lookup, type Lang } from '../../src/portal/i18n'
import { ADMIN_KEY } from '../support/app'
import { Browser, portalTestApp, type PortalTestApp } from './support'

let app: PortalTestApp

beforeAll(async () => {
  app = await portalTestApp()
})
afterAll(() => app.close())

/** Every page, the message its heading or title must show, and who may see it. */
const pages = [
  { path: '/', title: 'landing.title', access: 'public' },
  { path: '/models', title: 'models.title', access: 'public' },
  { path: '/models/anthropic/claude-sonnet-4', title: 'models.priceHistory', access: 'public' },
  { path: '/guide', title: 'docs.quickStartTitle', access: 'public' },
  { path: '/signin', title: 'auth.title', access: 'public' },
  { path: '/dashboard', title: 'dashboard.title', access: 'account' },
  { path: '/keys', title: 'keys.title', access: 'account' },
  { path: '/usage', title: 'usage.title', access: 'account' },
  { path: '/settings', title: 'settings.title', access: 'account' },
  { path: '/console', title: 'admin.users', access: 'admin' },
] as const

const langs: Lang[] = ['en', 'my']

async function signedIn(lang: Lang, admin = false) {
  const browser = new Browser(app, lang)
  const account = await app.services.accounts.create({ name: `Ko ${lang}`, isAdmin: admin })
  await browser.signInAs(account)
  return browser
}

describe.each(langs)('pages in %s', (lang) => {
  test.each(pages)('$path signed out', async ({ path, title, access }) => {
    const browser = new Browser(app, lang)

    const response = await browser.get(path)

    if (access === 'public') {
      expect(response.status).toBe(200)
      expect(response.text).toContain(`<html lang="${lang}">`)
      expect(response.text).toContain(lookup(lang, title)!)
    } else {
      const signInPath =
        access === 'admin' ? '/console/signin' : `/signin?next=${encodeURIComponent(path)}`
      expect({ status: response.status, location: response.headers.get('location') }).toEqual({
        status: 303,
        location: signInPath,
      })
    }
  })

  test.each(pages)('$path signed in', async ({ path, title, access }) => {
    const browser = await signedIn(lang)

    const response = await browser.get(path)

    if (access === 'admin') {
      expect(response.status).toBe(403)
      expect(response.text).toContain(lookup(lang, 'errors.forbidden')!)
    } else {
      expect(response.status).toBe(200)
      expect(response.text).toContain(`<html lang="${lang}">`)
      expect(response.text).toContain(lookup(lang, title)!)
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    }
  })

  test('the admin pages open for an admin account', async () => {
    const browser = await signedIn(lang, true)

    const response = await browser.get('/console')

    expect(response.status).toBe(200)
    expect(response.text).toContain(lookup(lang, 'admin.status')!)
  })
})

test('the admin key signs a browser in to the admin pages, a wrong key does not', async () => {
  const browser = new Browser(app, 'en')
  await browser.get('/console/signin')

  const wrong = await browser.post('/console/signin', { key: 'not-the-admin-key-000' })
  const right = await browser.post('/console/signin', { key: ADMIN_KEY })
  const page = await browser.get('/console')

  expect(wrong.status).toBe(400)
  expect(wrong.text).toContain(lookup('en', 'admin.adminKeyWrong')!)
  expect(right.headers.get('location')).toBe('/console')
  expect(page.status).toBe(200)
})

test(
  'an htmx request for part of a page gets the fragment, ' + 'a normal load the whole page',
  async () => {
    const browser = new Browser(app, 'en')

    const full = await browser.get('/models/results?q=claude')
    const partial = await browser.get('/models', {
      'hx-request': 'true',
      'hx-request-type': 'partial',
    })
    const whole = await browser.get('/models', { 'hx-request': 'true', 'hx-request-type': 'full' })

    expect(full.text.startsWith('<div id="model-results"')).toBe(true)
    expect(full.text).toContain('anthropic/claude-sonnet-4')
    expect(partial.text).not.toContain('<html')
    expect(whole.text).toStartWith('<!doctype html>')
  },
)

test('an unknown page is a translated 404 page', async () => {
  const response = await new Browser(app, 'my').get('/no/such/page')

  expect(response.status).toBe(404)
  expect(response.text).toContain(lookup('my', 'errors.notFound')!)
  expect(response.text).toContain('<html lang="my">')
})
