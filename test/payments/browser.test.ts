import { afterEach, expect, test } from 'bun:test'
import { tmpdir } from 'node:os'
import type { Browser, Page } from 'playwright-core'
import { i18nFor } from '../../src/portal/i18n'
import { portalDeps, SESSION_COOKIE } from '../../src/portal/context'
import { launchChromium } from '../support/browser'
import { audit } from '../support/ledger'
import { topupHarness, type TopupHarness } from './support/harness'

let h: TopupHarness | undefined
let browser: Browser | undefined

afterEach(async () => {
  await browser?.close()
  if (h) expect(await audit(h.env.services)).toEqual([])
  await h?.close()
  ;[h, browser] = [undefined, undefined]
})

/**
 * A signed-in Chromium page on the gateway, which runs the sandbox simulator as a new install
 * does.
 */
async function openTopup(lang: 'en' | 'my') {
  h = await topupHarness({ sandbox: true })
  browser = await launchChromium()
  const context = await browser.newContext()
  const session = await portalDeps(h.env.services).sessions.issue({
    kind: 'account',
    accountId: h.account.id,
  })
  await context.addCookies([{ name: SESSION_COOKIE, value: session, url: h.gatewayUrl }])
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('response', (response) => {
    // Chromium asks for a favicon on its own; the portal has none.
    if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) {
      problems.push(`${response.status()} ${response.url()}`)
    }
  })
  await page.goto(`${h.gatewayUrl}/topup?lang=${lang}`)
  return { page, problems, i18n: i18nFor(lang) }
}

async function chooseFiveThousand(page: Page) {
  await page.check('input[name=preset][value="5000"]')
  await page.click('#topup-form button[type=submit]')
  await page.locator('#topup-status[data-status="PENDING"]').waitFor()
}

for (const lang of ['en', 'my'] as const) {
  test(
    `[${lang}] the sandbox wallet pays the QR ` + 'and the balance changes without a reload',
    async () => {
      const { page, problems, i18n } = await openTopup(lang)
      await chooseFiveThousand(page)
      const qr = await page.locator('figure.qr svg').count()
      const wallet = i18n.t('topup.sandboxPay', { wallet: 'WavePay' })
      await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1))

      await page.getByRole('button', { name: wallet }).click()
      await page.locator('#topup-status[data-status="PAID"]').waitFor()

      expect(qr).toBe(1)
      expect(await page.locator('figure.qr, #sandbox-wallet').count()).toBe(0)
      expect(await page.textContent('#topup-qr')).toContain(i18n.t('topup.qrClosed'))
      expect(await page.textContent('#topup-balance')).toBe(
        i18n.t('topup.newBalance', { amount: i18n.mmk(50_000_000) }),
      )
      expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1)
      expect(await page.getAttribute('html', 'lang')).toBe(lang)
      expect(h!.balanceMmk()).toBe(5000)
      expect(problems).toEqual([])
    },
    30_000,
  )
}

test('the amount presets are radios of their natural size, each before its amount', async () => {
  const { page, problems } = await openTopup('en')
  const boxes = await page.$$eval('#topup-form label.check', (labels) =>
    labels.map((label) => {
      const box = (element: Element | null) => element!.getBoundingClientRect()
      const [radio, text] = [box(label.querySelector('input')), box(label.querySelector('span'))]
      return { radio: radio.width, gap: text.left - radio.right }
    }),
  )
  await page.screenshot({ path: `${tmpdir()}/sargalay-topup-presets.png` })

  expect(boxes).toHaveLength(4)
  for (const { radio, gap } of boxes) {
    expect(radio).toBeLessThan(24)
    expect(gap).toBeGreaterThanOrEqual(0)
    expect(gap).toBeLessThan(16)
  }
  expect(problems).toEqual([])
}, 30_000)

test('a payment made elsewhere reaches the open page through its polling status', async () => {
  const { page, problems } = await openTopup('en')
  await chooseFiveThousand(page)
  const orderId = new URL(page.url()).pathname.split('/').pop()!
  const order = await h!.order(orderId)

  await h!.simControl('/scan', { qr: order.qrPayload, vendor: 'KBZPay' })
  await page.locator('#topup-status[data-status="PAID"]').waitFor({ timeout: 10_000 })

  expect(await page.textContent('#topup-balance')).toBe('New balance: 5,000 MMK')
  expect(await page.locator('figure.qr').count()).toBe(0)
  expect(problems).toEqual([])
}, 30_000)
