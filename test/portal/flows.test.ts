import { afterAll, beforeAll, expect, test } from 'bun:test'
import { MAX_BALANCE_UNITS } from '../../src/ledger/money'
import { i18nFor, lookup } from '../../src/portal/i18n'
import { csvCell } from '../../src/portal/queries/usage-csv'
import { usageRow } from '../support/ledger'
import { Browser, mainText, portalTestApp, type PortalTestApp } from './support'

let app: PortalTestApp
beforeAll(async () => {
  app = await portalTestApp()
})
afterAll(() => app.close())

async function signedIn(name = 'Ko Ko', lang: 'en' | 'my' = 'en') {
  const account = await app.services.accounts.create({ name })
  const browser = new Browser(app, lang)
  await browser.signInAs(account)
  return { account, browser }
}

test('a new key is shown once, works at once, and stops working when revoked', async () => {
  const { account, browser } = await signedIn()

  const created = await browser.post('/keys', { name: 'laptop' })
  const key = /<code id="new-key-value"[^>]*>(sk-sg-[\w-]+)<\/code>/.exec(created.text)?.[1] ?? ''
  const worked = app.services.keys.authenticate(key)?.accountId
  const listed = await browser.get('/keys')
  const [row] = await app.services.keys.listForAccount(account.id)
  const revoked = await browser.post(`/keys/${row!.id}/revoke`, {}, { 'hx-request': 'true' })

  expect(created.text).toContain(lookup('en', 'keys.onlyOnce')!)
  expect(worked).toBe(account.id)
  expect(listed.text).not.toContain(key)
  expect(listed.text).toContain(row!.prefix)
  expect(revoked.text).toStartWith(`<tr id="key-${row!.id}">`)
  expect(revoked.text).toContain(lookup('en', 'keys.revoked')!)
  expect(app.services.keys.authenticate(key)).toBeUndefined()
})

test('a key without a name is refused with the form again', async () => {
  const { browser } = await signedIn()

  const answer = await browser.post('/keys', { name: '   ' }, { 'hx-request': 'true' })

  expect(answer.status).toBe(400)
  expect(answer.text).toStartWith('<div id="keys-panel">')
  expect(answer.text).toContain(lookup('en', 'keys.nameRequired')!)
})

test(
  'usage pages filter by key, model and date, ' + 'total them, and page without offsets',
  async () => {
    const { account, browser } = await signedIn()
    const { id: keyId } = await app.services.keys.create(account.id, 'ci')
    const day = Date.UTC(2026, 10, 20, 3, 0)
    const rows = Array.from({ length: 60 }, (_, i) =>
      usageRow({
        accountId: account.id,
        keyId: i % 2 === 0 ? keyId : null,
        model: i % 3 === 0 ? 'a/one' : 'b/two',
        chargedUnits: 10_000,
        promptTokens: 100,
        createdAt: day + i * 60_000,
      }),
    )
    await app.services.db.write((tx) => tx.insert(app.services.db.t.usageRecords).values(rows))

    const first = await browser.get('/usage')
    const next = /href="(\/usage\?before=[^"]+)"/.exec(first.text)?.[1]?.replace(/&amp;/g, '&')
    const second = await browser.get(next!)
    const byKey = await browser.get(`/usage?key=${keyId}&model=a%2Fone`)
    const totals = await browser.get('/usage/totals', { 'hx-request': 'true' })
    const keyTotals = await browser.get(`/usage/totals?key=${keyId}&model=a%2Fone`)
    const otherDay = await browser.get('/usage/totals?from=2026-11-21&to=2026-11-22')

    const count = (html: string) => (html.match(/<tr>/g) ?? []).length - 1
    expect([count(first.text), count(second.text)]).toEqual([50, 10])
    expect(first.text).toContain('hx-get="/usage/totals"')
    expect(totals.text).toStartWith('<section class="card" id="usage-totals">')
    expect(totals.text).toContain('Requests: 60')
    expect(totals.text).toContain('Charged: 60 MMK')
    expect(mainText(keyTotals.text)).toContain('Requests: 10')
    expect(count(byKey.text)).toBe(10)
    expect(mainText(otherDay.text)).toContain('Requests: 0')
  },
)

test('the CSV export has every matching row and defuses formula-like text', async () => {
  const { account, browser } = await signedIn()
  const rows = Array.from({ length: 1203 }, (_, i) =>
    usageRow({
      accountId: account.id,
      model: i === 0 ? '=HYPERLINK("x")' : 'c/three',
      createdAt: 1_000 + i,
    }),
  )
  await app.services.db.write((tx) => tx.insert(app.services.db.t.usageRecords).values(rows))

  const csv = await browser.get('/usage.csv')
  const lines = csv.text.trim().split('\r\n')

  expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
  expect(lines[0]).toBe('time_utc,key_id,model,prompt_tokens,completion_tokens,charged_mmk,status')
  expect(lines.length).toBe(1204)
  expect(lines.at(-1)).toBe(`1970-01-01T00:00:01.000Z,,"'=HYPERLINK(""x"")",10,20,0,ok`)
  expect([csvCell('-1'), csvCell(-1), csvCell('a,b')]).toEqual(["'-1", '-1', '"a,b"'])
})

test(
  'the dashboard shows balance, available funds, ' + 'the 30-day chart and recent requests',
  async () => {
    const { account, browser } = await signedIn()
    await app.services.ledger.credit({
      accountId: account.id,
      amountUnits: 2_500 * 10_000,
      reason: 'topup',
      reference: `test-${account.id}`,
    })
    const now = app.clock.now()
    await app.services.db.write((tx) =>
      tx.insert(app.services.db.t.usageRecords).values([
        usageRow({
          accountId: account.id,
          model: 'x/today',
          chargedUnits: 30_000,
          createdAt: now - 1000,
        }),
        usageRow({
          accountId: account.id,
          model: 'x/old',
          chargedUnits: 50_000,
          createdAt: now - 40 * 86_400_000,
        }),
      ]),
    )

    const page = await browser.get('/dashboard')
    const spend = await browser.get('/dashboard/spend', { 'hx-request': 'true' })

    expect(mainText(page.text)).toContain('Balance 2,500 MMK')
    expect(page.text).toContain('hx-get="/dashboard/spend"')
    expect(page.text).toContain('x/today')
    expect(spend.text).toStartWith('<section class="card" id="spend">')
    expect(mainText(`<main>${spend.text}</main>`)).toContain('Spending in the last 30 days 3 MMK')
    expect((spend.text.match(/<rect class="bar-fill"/g) ?? []).length).toBe(1)
  },
)

test('settings change the display name and the language', async () => {
  const { account, browser } = await signedIn('Old Name')

  const saved = await browser.post('/settings', { name: '  Ma   Hla ', lang: 'my' })
  const page = await browser.get(saved.headers.get('location')!)
  const bad = await browser.post('/settings', { name: '', lang: 'my' })

  expect(saved.status).toBe(303)
  expect((await app.services.accounts.get(account.id))?.name).toBe('Ma Hla')
  expect(page.text).toContain('<html lang="my">')
  expect(page.text).toContain(lookup('my', 'settings.saved')!)
  expect(bad.status).toBe(400)
})

test('each bad settings field gets its own message, and nothing is saved', async () => {
  const { account, browser } = await signedIn('Old Name')
  const [language, name] = [
    lookup('en', 'settings.languageInvalid')!,
    lookup('en', 'settings.nameInvalid')!,
  ]

  const badLanguage = await browser.post('/settings', { name: 'Ma Hla', lang: 'fr' })
  const bothBad = await browser.post('/settings', { name: ' ', lang: 'fr' })

  expect([badLanguage.status, bothBad.status]).toEqual([400, 400])
  expect(badLanguage.text).toContain(language)
  expect(badLanguage.text).not.toContain(name)
  expect(bothBad.text).toContain(language)
  expect(bothBad.text).toContain(name)
  expect(await app.services.accounts.get(account.id)).toMatchObject({ name: 'Old Name' })
})

test(
  'the language comes from ?lang=, then the cookie, ' + 'then Accept-Language, then English',
  async () => {
    const browser = new Browser(app)
    const lang = async (path: string, headers: Record<string, string> = {}) =>
      /<html lang="(\w+)">/.exec((await browser.get(path, headers)).text)?.[1]

    const results = [
      await lang('/'),
      await lang('/', { 'accept-language': 'fr;q=1, my-MM;q=0.8, en;q=0.5' }),
      await lang('/?lang=my', { 'accept-language': 'en' }),
      await lang('/', { 'accept-language': 'en' }),
      await lang('/?lang=en'),
      await lang('/', { 'accept-language': 'my' }),
    ]

    expect(results).toEqual(['en', 'my', 'my', 'my', 'en', 'en'])
  },
)

test('the admin adjusts a balance with a reason through the ledger, once per form', async () => {
  const admin = await app.services.accounts.create({ name: 'Admin', isAdmin: true })
  const user = await app.services.accounts.create({ name: 'Customer' })
  const browser = new Browser(app, 'en')
  await browser.signInAs(admin)
  const form = await browser.get(`/console/users/${user.id}`)
  const reference = /name="reference" value="([^"]+)"/.exec(form.text)![1]!

  const credit = await browser.post(`/console/users/${user.id}/adjust`, {
    amount: '1500.5',
    reason: 'promo',
    reference,
  })
  const twice = await browser.post(`/console/users/${user.id}/adjust`, {
    amount: '1500.5',
    reason: 'promo',
    reference,
  })
  const overdraw = await browser.post(`/console/users/${user.id}/adjust`, {
    amount: '-9999',
    reason: 'oops',
    reference: 'adj_0000000000aaaa',
  })
  const noReason = await browser.post(`/console/users/${user.id}/adjust`, {
    amount: '5',
    reason: '',
    reference: 'adj_0000000000bbbb',
  })

  expect(credit.text).toContain('The balance is now 1,500.5 MMK.')
  expect(twice.text).toContain(lookup('en', 'admin.adjustRepeated')!)
  expect(app.services.ledger.fundsOf(user.id).balanceUnits).toBe(15_005_000)
  expect([overdraw.status, noReason.status]).toEqual([400, 400])
  expect(overdraw.text).toContain(lookup('en', 'admin.insufficient')!)
  expect(credit.text).toContain('promo')
})

test('a huge adjustment is refused with a translated message and changes nothing', async () => {
  const admin = await app.services.accounts.create({ name: 'Admin', isAdmin: true })
  const user = await app.services.accounts.create({ name: 'Customer' })
  for (const lang of ['en', 'my'] as const) {
    const browser = new Browser(app, lang)
    await browser.signInAs(admin)
    await browser.get(`/console/users/${user.id}`)

    for (const amount of ['99999999999999999', '-99999999999999999', '100000000001']) {
      const answer = await browser.post(`/console/users/${user.id}/adjust`, {
        amount,
        reason: 'typo',
        reference: 'adj_0000000000huge',
      })

      expect([amount, answer.status]).toEqual([amount, 400])
      const i18n = i18nFor(lang)
      expect(answer.text).toContain(
        i18n.t('admin.amountTooLarge', { amount: i18n.mmk(MAX_BALANCE_UNITS) }),
      )
    }
  }
  expect(app.services.ledger.fundsOf(user.id).balanceUnits).toBe(0)
  expect(await app.services.ledger.entryByReference('portal-admin:adj_0000000000huge')).toBe(
    undefined,
  )
})

test('a form reused for another adjustment says so and moves nothing', async () => {
  const admin = await app.services.accounts.create({ name: 'Admin', isAdmin: true })
  const user = await app.services.accounts.create({ name: 'Customer' })
  const other = await app.services.accounts.create({ name: 'Someone else' })
  const browser = new Browser(app, 'en')
  await browser.signInAs(admin)
  const form = await browser.get(`/console/users/${user.id}`)
  const reference = /name="reference" value="([^"]+)"/.exec(form.text)![1]!
  await browser.post(`/console/users/${user.id}/adjust`, {
    amount: '100',
    reason: 'promo',
    reference,
  })

  const otherAmount = await browser.post(`/console/users/${user.id}/adjust`, {
    amount: '200',
    reason: 'promo',
    reference,
  })
  const otherUser = await browser.post(`/console/users/${other.id}/adjust`, {
    amount: '100',
    reason: 'promo',
    reference,
  })

  for (const answer of [otherAmount, otherUser]) {
    expect(answer.status).toBe(409)
    expect(answer.text).toContain(lookup('en', 'admin.adjustReused')!)
    expect(answer.text).not.toContain('The balance is now')
  }
  expect(app.services.ledger.fundsOf(user.id).balanceUnits).toBe(100 * 10_000)
  expect(app.services.ledger.fundsOf(other.id).balanceUnits).toBe(0)
})

test('the admin changes the rate and markup, and prices follow', async () => {
  const admin = await app.services.accounts.create({ name: 'Admin', isAdmin: true })
  const browser = new Browser(app, 'en')
  await browser.signInAs(admin)
  const before = app.services.pricing.current()

  const bad = await browser.post('/console/pricing', { rate: '0', markup: '1.2' })
  const good = await browser.post('/console/pricing', { rate: '5000', markup: '1.5' })
  const model = await browser.get('/models/anthropic/claude-sonnet-4')

  expect(bad.status).toBe(400)
  expect(good.text).toContain(lookup('en', 'admin.pricingSaved')!)
  expect(app.services.pricing.current()).toEqual({ usdToMmkRate: 5000, priceMarkup: 1.5 })
  expect(mainText(model.text)).toContain('22,500 MMK')
  await app.services.pricing.update(before)
})

test('signing out ends the session, and only with the form token', async () => {
  const { browser } = await signedIn()

  const forged = await browser.post('/signout', { _csrf: 'nope' })
  const stillIn = await browser.get('/keys')
  const out = await browser.post('/signout', {})
  const after = await browser.get('/keys')

  expect([forged.status, stillIn.status]).toEqual([403, 200])
  expect(out.headers.get('location')).toBe('/')
  expect(browser.cookies.has('sg_session')).toBe(false)
  expect(after.status).toBe(303)
})

test(
  'local sign-in needs a server that listens ' + 'only on this machine, and the page says why',
  async () => {
    const exposed = await portalTestApp({ env: { HOST: '0.0.0.0' } })
    const browser = new Browser(exposed, 'en')
    const page = await browser.get('/signin')

    const attempt = await browser.post('/signin/local', { name: 'Remote' })
    const local = await new Browser(app, 'en').get('/signin')

    expect(page.text).toContain(lookup('en', 'auth.unavailable')!)
    expect(page.text).not.toContain('action="/signin/local"')
    expect(attempt.status).toBe(403)
    expect(browser.cookies.has('sg_session')).toBe(false)
    expect(local.text).toContain(lookup('en', 'auth.localWhy')!)
    await exposed.close()
  },
)
