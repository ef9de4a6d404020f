import { afterAll, beforeAll, expect, test } from 'bun:test'
import en from '../../locales/en.json'
import my from '../../locales/my.json'
import { i18nFor } from '../../src/portal/i18n'
import { usageRow } from '../support/ledger'
import { Browser, portalTestApp, type PortalTestApp } from './support'

function keysOf(messages: unknown, prefix = ''): string[] {
  return Object.entries(messages as Record<string, unknown>).flatMap(([key, value]) =>
    typeof value === 'string' ? [`${prefix}${key}`] : keysOf(value, `${prefix}${key}.`),
  )
}

test('every key of en.json is in my.json and the reverse', () => {
  const english = keysOf(en).sort()
  const burmese = keysOf(my).sort()

  expect(burmese.filter((key) => !english.includes(key))).toEqual([])
  expect(english.filter((key) => !burmese.includes(key))).toEqual([])
})

test('Burmese messages are Myanmar Unicode and keep the same placeholders', () => {
  const problems: string[] = []
  for (const key of keysOf(en)) {
    const english = i18nFor('en').t(key as never)
    const burmese = i18nFor('my').t(key as never)
    const placeholders = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort().join()
    if (placeholders(english) !== placeholders(burmese))
      problems.push(`${key}: placeholders differ`)
    // Zawgyi text puts a medial ra (U+103B) or a vowel sign E (U+1031) at a word's start.
    if (/(^|\s)[\u1031\u103b]/.test(burmese)) problems.push(`${key}: looks like Zawgyi`)
  }
  expect(problems).toEqual([])
})

test('no message writes the currency next to a placeholder that brings its own', () => {
  const problems: string[] = []
  for (const lang of ['en', 'my'] as const) {
    const i18n = i18nFor(lang)
    const amount = i18n.mmkAmount(1000)
    // common.mmk is the currency format itself, the one place the word follows the amount.
    for (const key of keysOf(en).filter((key) => key !== 'common.mmk')) {
      const names = i18n.t(key as never).match(/\{\w+\}/g) ?? []
      const vars = Object.fromEntries(names.map((name) => [name.slice(1, -1), amount]))
      if (/MMK\s*MMK|ကျပ်\s*ကျပ်/.test(i18n.t(key as never, vars))) problems.push(`${lang} ${key}`)
    }
  }
  expect(problems).toEqual([])
})

test('numbers, kyat and dates are written for each language', () => {
  const at = Date.UTC(2026, 11, 3, 6, 0)

  expect([i18nFor('en').mmk(12_345_6789), i18nFor('my').mmk(12_345_6789)]).toEqual([
    '12,345.68 MMK',
    '၁၂,၃၄၅.၆၈ ကျပ်',
  ])
  expect([i18nFor('en').dateTime(at), i18nFor('my').dateTime(at)]).toEqual([
    'Dec 3, 2026, 12:30',
    '၂၀၂၆ ဒီဇင်ဘာ ၃ ၁၂:၃၀',
  ])
})

// Words that stay in Latin letters in Burmese text: names of products, protocols and units.
const allowed = new Set(
  (
    'Sargalay GitHub API OpenAI Node.js Python Vercel AI SDK LLM curl CSV MMQR KBZPay WavePay ' +
    'AYA Pay CB English max_tokens OpenAPI SARGALAY_API_KEY'
  ).split(' '),
)

let app: PortalTestApp
beforeAll(async () => {
  app = await portalTestApp()
})
afterAll(() => app.close())

/** Latin words in the page's visible text outside `translate="no"` elements, code and URLs. */
function untranslatedWords(html: string) {
  const main = /<body[^>]*>([\s\S]*)<\/body>/.exec(html)?.[1] ?? ''
  const visible = main
    .replace(/<(pre|code|script|svg)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<(\w+)[^>]*translate="no"[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<(\w+)[^>]*lang="en"[^>]*>[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&\w+;|&#\d+;/g, ' ')
  const words = visible.match(/[A-Za-z][A-Za-z._]*[A-Za-z]/g) ?? []
  return [...new Set(words.filter((word) => !allowed.has(word)))]
}

test('Burmese pages show no untranslated English', async () => {
  const admin = await app.services.accounts.create({ name: 'Admin', isAdmin: true })
  const { key } = await app.services.keys.create(admin.id, 'laptop')
  await app.services.db.write((tx) =>
    tx.insert(app.services.db.t.usageRecords).values(usageRow({ accountId: admin.id })),
  )
  const browser = new Browser(app, 'my')
  await browser.signInAs(admin)
  const created = await browser.post('/keys', { name: 'second' })
  const paths = [
    '/',
    '/models',
    '/models/anthropic/claude-sonnet-4',
    '/guide',
    '/dashboard',
    '/dashboard/spend',
    '/keys',
    '/usage',
    '/usage/totals',
    '/settings',
    '/console',
    `/console/users/${admin.id}`,
    '/no/such/page',
  ]

  const found: Record<string, string[]> = {}
  for (const path of paths) {
    const words = untranslatedWords((await browser.get(path)).text)
    if (words.length > 0) found[path] = words
  }
  const signedOut = untranslatedWords((await new Browser(app, 'my').get('/signin')).text)

  const english = untranslatedWords((await new Browser(app, 'en').get('/signin')).text)

  expect(found).toEqual({})
  expect(signedOut).toEqual([])
  expect(english).toContain('Sign')
  expect(untranslatedWords(created.text)).toEqual([])
  expect(key).toStartWith('sk-sg-')
})
