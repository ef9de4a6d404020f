import { afterAll, beforeAll, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { lookup } from '../../src/portal/i18n'
import type { Account } from '../../src/auth/accounts'
import { localAccount } from '../../src/auth/sign-in'
import { ADMIN_KEY } from '../support/app'
import { launchChromiumWithProfile } from '../support/browser'
import { usageRow } from '../support/ledger'
import { portalTestApp, type PortalTestApp } from './support'

// Real Chromium against the real app on a loopback port: htmx, the CSP and the font run for real.

const screenshots = join(import.meta.dir, '..', '..', 'test-artifacts', 'screenshots')

let app: PortalTestApp
let server: { stop(): Promise<void> }
let base = ''
let profile = ''
let context: BrowserContext
const cspErrors: string[] = []

beforeAll(async () => {
  app = await portalTestApp()
  const listening = app.app.listen({ port: 0, hostname: '127.0.0.1' })
  base = `http://127.0.0.1:${listening.server!.port}`
  server = {
    stop: async () => {
      await listening.stop()
    },
  }
  profile = mkdtempSync(join(tmpdir(), 'sargalay-chromium-'))
  context = await launchChromiumWithProfile(profile)
  context.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) cspErrors.push(message.text())
  })
  mkdirSync(screenshots, { recursive: true })
})

afterAll(async () => {
  await context?.close()
  await server?.stop()
  await app?.close()
  rmSync(profile, { recursive: true, force: true })
})

async function open(path: string, width = 1280) {
  const page = await context.newPage()
  await page.setViewportSize({ width, height: 900 })
  await page.goto(base + path)
  await page.waitForFunction(() => 'htmx' in window)
  return page
}

async function signInLocally(page: Page, name: string) {
  await page.goto(`${base}/signin`)
  await page.fill('#name', name)
  await Promise.all([
    page.waitForURL(`${base}/dashboard`),
    page.click('form[action="/signin/local"] button'),
  ])
}

test('local sign-in, then a key created, seen once and revoked', async () => {
  const page = await open('/signin')
  await signInLocally(page, 'Browser User')

  await page.goto(`${base}/keys`)
  await page.fill('#key-name', 'phone')
  await page.click('#keys-panel form button[type=submit]')
  const key = (await page.locator('#new-key-value').textContent({ timeout: 5000 })) ?? ''
  await page.reload()
  const afterReload = await page.content()
  page.once('dialog', (dialog) => void dialog.accept())
  await page.click('#keys-panel button.danger')
  await page.locator('#keys-panel td >> text=' + lookup('en', 'keys.revoked')).waitFor()

  expect(key).toStartWith('sk-sg-')
  expect(afterReload).not.toContain(key)
  expect(app.services.keys.authenticate(key)).toBeUndefined()
  await page.close()
})

test('models are searched live as one types', async () => {
  const page = await open('/models')

  await page.locator('#model-q').pressSequentially('claude')
  await page.waitForFunction(
    () => !document.querySelector('#model-results')?.textContent?.includes('gpt'),
  )
  const results = (await page.locator('#model-results').textContent()) ?? ''

  expect(results).toContain('anthropic/claude-sonnet-4')
  expect(results).not.toContain('openai/gpt')
  expect(page.url()).toBe(`${base}/models`)
  await page.close()
})

test('switching to Burmese draws it with the bundled font, and switching back works', async () => {
  const page = await open('/')

  await Promise.all([page.waitForURL(/lang=my/), page.click('#language-switch')])
  await page.evaluate(() => document.fonts.ready)
  const burmese = await page.evaluate(() => {
    const loadedFaces = () => {
      const families: string[] = []
      document.fonts.forEach(
        (face) => void (face.status === 'loaded' && families.push(face.family)),
      )
      return families
    }
    return {
      lang: document.documentElement.lang,
      heading: document.querySelector('h1')?.textContent,
      fontLoaded: document.fonts.check('16px "Noto Sans Myanmar"', 'မြန်မာ'),
      faces: loadedFaces(),
      family: getComputedStyle(document.querySelector('h1')!).fontFamily,
    }
  })
  await Promise.all([page.waitForURL(/lang=en/), page.click('#language-switch')])
  const english = await page.evaluate(() => document.documentElement.lang)

  expect(burmese.lang).toBe('my')
  expect(burmese.heading).toBe(lookup('my', 'landing.title'))
  expect(burmese.fontLoaded).toBe(true)
  expect(burmese.faces).toContain('Noto Sans Myanmar')
  expect(burmese.family).toStartWith('"Noto Sans Myanmar"')
  expect(english).toBe('en')
  await page.close()
})

test('the admin signs in with the admin key and credits a user', async () => {
  const user = await app.services.accounts.create({ name: 'Credit Me' })
  const page = await open('/console/signin')

  await page.fill('#admin-key', ADMIN_KEY)
  await Promise.all([
    page.waitForURL(`${base}/console`),
    page.click('form[action="/console/signin"] button'),
  ])
  await page.locator('#user-q').pressSequentially('Credit Me')
  await page.locator(`#user-results a[href="/console/users/${user.id}"]`).waitFor()
  await Promise.all([
    page.waitForURL(`${base}/console/users/${user.id}`),
    page.click(`a[href="/console/users/${user.id}"]`),
  ])
  await page.fill('#amount', '12500')
  await page.fill('#reason', 'welcome credit')
  await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/adjust"] button')])
  await page.locator('#user-balance >> text=12,500 MMK').waitFor()

  expect(app.services.ledger.fundsOf(user.id).balanceUnits).toBe(12_500 * 10_000)
  expect(await page.content()).toContain('welcome credit')
  await page.close()
})

test(
  'every main page renders in both languages ' + 'at phone and desktop widths, within the CSP',
  async () => {
    const page = await open('/signin')
    await signInLocally(page, 'Screenshot Admin')
    await seedActivity(await localAccount(app.services, 'Screenshot Admin'))
    const paths = [
      '/',
      '/dashboard',
      '/keys',
      '/models',
      '/models/anthropic/claude-sonnet-4',
      '/usage',
      '/guide',
      '/settings',
    ]
    const weights: Record<string, number> = {}

    for (const lang of ['en', 'my'] as const) {
      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: 900 })
        for (const path of paths) {
          await page.goto(`${base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`)
          await page.waitForLoadState('networkidle')
          await page.evaluate(() => document.fonts.ready)
          const slug = path === '/' ? 'landing' : path.slice(1).replace(/\//g, '_')
          const name = `${slug}-${lang}-${width}.png`
          await page.screenshot({ path: join(screenshots, name), fullPage: true })
          if (width === 390) weights[`${path} ${lang}`] = await pageWeightWithoutFonts(page)
        }
      }
    }

    await page.goto(`${base}/console/signin`)
    await page.fill('#admin-key', ADMIN_KEY)
    await Promise.all([
      page.waitForURL(`${base}/console`),
      page.click('form[action="/console/signin"] button'),
    ])
    for (const lang of ['en', 'my'] as const) {
      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: 900 })
        await page.goto(`${base}/console?lang=${lang}`)
        await page.evaluate(() => document.fonts.ready)
        await page.screenshot({
          path: join(screenshots, `console-${lang}-${width}.png`),
          fullPage: true,
        })
      }
    }

    expect(cspErrors).toEqual([])
    const heavy = Object.entries(weights).filter(([, bytes]) => bytes >= 60_000)
    expect(heavy).toEqual([])
    expect(Object.keys(weights).length).toBe(16)
    await page.close()
  },
  120_000,
)

/** A key, a top-up and two weeks of requests, so the pages have something to show. */
async function seedActivity(account: Account) {
  const { keys, ledger, db, clock } = app.services
  const { id: keyId } = await keys.create(account.id, 'laptop')
  await ledger.credit({
    accountId: account.id,
    amountUnits: 50_000 * 10_000,
    reason: 'topup',
    reference: `seed-${account.id}`,
  })
  const rows = Array.from({ length: 40 }, (_, i) =>
    usageRow({
      accountId: account.id,
      keyId,
      model: i % 3 === 0 ? 'anthropic/claude-sonnet-4' : 'openai/gpt-4o-mini',
      promptTokens: 400 + i * 37,
      completionTokens: 120 + i * 11,
      chargedUnits: 2_000 + ((i * 7919) % 40) * 1_000,
      createdAt: clock.now() - (i % 14) * 86_400_000 - i * 60_000,
    }),
  )
  await db.write((tx) => tx.insert(db.t.usageRecords).values(rows))
}

/** Compressed bytes of the document and every resource except fonts, cached or not. */
async function pageWeightWithoutFonts(page: Page) {
  return page.evaluate(() => {
    const entries = [
      ...performance.getEntriesByType('navigation'),
      ...performance.getEntriesByType('resource'),
    ] as PerformanceResourceTiming[]
    return entries
      .filter((entry) => !/\.woff2?(\?|$)/.test(entry.name))
      .reduce((sum, entry) => sum + entry.encodedBodySize, 0)
  })
}
