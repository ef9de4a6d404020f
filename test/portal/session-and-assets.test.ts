import { afterAll, beforeAll, expect, test } from 'bun:test'
import { gunzipSync } from 'bun'
import { sessionTokens } from '../../src/auth/session'
import { fromAcceptLanguage } from '../../src/portal/language'
import { safeNext } from '../../src/portal/render'
import { Browser, portalTestApp, type PortalTestApp } from './support'

const options = {
  secret: 'a-session-secret-0123456789',
  ttlSeconds: 600,
  adminKey: 'adm-key-0123456789abcdef',
}

test('a session token proves only what was signed, and only until it expires', async () => {
  const tokens = sessionTokens(options)
  const account = await tokens.issue({ kind: 'account', accountId: 'acc_1' })
  const adminKey = await tokens.issue({ kind: 'admin-key' })
  const expired = await sessionTokens({ ...options, now: () => Date.now() - 601_000 }).issue({
    kind: 'account',
    accountId: 'acc_1',
  })
  const otherSecret = await sessionTokens({
    ...options,
    secret: 'another-secret-0123456789',
  }).issue({
    kind: 'account',
    accountId: 'acc_1',
  })
  const rotated = sessionTokens({ ...options, adminKey: 'adm-new-key-0123456789abc' })

  expect(await tokens.verify(account)).toEqual({ kind: 'account', accountId: 'acc_1' })
  expect(await tokens.verify(adminKey)).toEqual({ kind: 'admin-key' })
  expect(await tokens.verify(expired)).toBeUndefined()
  expect(await tokens.verify(otherSecret)).toBeUndefined()
  expect(await tokens.verify(`${account}x`)).toBeUndefined()
  expect(await rotated.verify(adminKey)).toBeUndefined()
})

test('Accept-Language is read by preference, and redirects stay on this site', () => {
  expect(
    ['my-MM,en;q=0.5', 'en-US,my;q=0.9', 'fr, de;q=0.5', 'fr;q=0.2, my;q=0.1', 'my;q=0', ''].map(
      (header) => fromAcceptLanguage(header || null),
    ),
  ).toEqual(['my', 'en', 'en', 'my', 'en', 'en'])
  expect(
    ['/keys', '//evil.example', 'https://evil.example', '/\\evil', 42].map((next) =>
      safeNext(next),
    ),
  ).toEqual(['/keys', '/dashboard', '/dashboard', '/dashboard', '/dashboard'])
  // Browsers strip tabs and newlines from URLs, which would turn these into `//evil.example`.
  expect(
    ['/\t/evil.example', '/\n/evil.example', '/keys\r\nSet-Cookie: a=b'].map((next) =>
      safeNext(next),
    ),
  ).toEqual(['/dashboard', '/dashboard', '/dashboard'])
})

let app: PortalTestApp
beforeAll(async () => {
  app = await portalTestApp()
})
afterAll(() => app.close())

test(
  'public files are served from memory, compressed, ' + 'cached by content hash, and nothing else',
  async () => {
    const browser = new Browser(app, 'en')
    const page = await browser.get('/')
    const cssUrl = /href="(\/public\/app\.css\?v=\w+)"/.exec(page.text)![1]!

    const css = await app.app.handle(
      new Request(`http://localhost${cssUrl}`, { headers: { 'accept-encoding': 'gzip' } }),
    )
    const again = await app.app.handle(
      new Request(`http://localhost${cssUrl}`, {
        headers: { 'if-none-match': css.headers.get('etag')! },
      }),
    )
    const font = await browser.get('/public/fonts/noto-sans-myanmar-myanmar-400-normal.woff2')
    const htmx = await browser.get('/public/vendor/htmx-4.0.1.min.js')
    const outside = await Promise.all(
      ['/public/../src/config.ts', '/public/%2e%2e/package.json', '/public/nothing.css'].map(
        (path) => browser.get(path),
      ),
    )

    expect(css.headers.get('content-encoding')).toBe('gzip')
    expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(new TextDecoder().decode(gunzipSync(new Uint8Array(await css.arrayBuffer())))).toContain(
      'Noto Sans Myanmar',
    )
    expect(again.status).toBe(304)
    expect(font.headers.get('content-type')).toBe('font/woff2')
    expect(htmx.text).toStartWith('var htmx=')
    expect(outside.map((r) => r.status)).toEqual([404, 404, 404])
  },
)

test(
  'an unexpected error becomes a translated page ' + 'with the request id and no internal message',
  async () => {
    const fresh = await portalTestApp()
    fresh.app.get('/portal-test-boom', () => {
      throw new Error('database password is hunter2')
    })

    const response = await new Browser(fresh, 'my').get('/portal-test-boom')
    await fresh.close()

    expect(response.status).toBe(500)
    expect(response.text).toContain('<html lang="my">')
    expect(response.text).toContain('ကျွန်ုပ်တို့ဘက်တွင် အမှားတစ်ခု ဖြစ်သွားပါသည်။')
    expect(response.text).toContain(response.headers.get('x-request-id')!)
    expect(response.text).not.toContain('hunter2')
  },
)
