import { afterEach, expect, test } from 'bun:test'
import type { Browser } from 'playwright-core'
import { portalDeps, SESSION_COOKIE } from '../../src/portal/context'
import { launchChromium } from '../support/browser'
import { gatedStep, scriptedModel, textStep } from './mock-model'
import { assistantApp, type AssistantTestApp } from './support'

let env: AssistantTestApp | undefined
let browser: Browser | undefined
let stopServer: (() => Promise<void>) | undefined

// A browser on a shared two-core machine can take seconds to start and draw.
const browserTimeoutMs = 60_000

afterEach(async () => {
  await browser?.close()
  await stopServer?.()
  await env?.stopAll()
  ;[env, browser, stopServer] = [undefined, undefined, undefined]
})

async function openAssistant(model: ReturnType<typeof scriptedModel>, path: string) {
  env = await assistantApp(model)
  const account = await env.services.accounts.create({ name: 'Zaw Zaw' })
  const server = env.app.listen({ port: 0, hostname: '127.0.0.1' }).server!
  stopServer = () => server.stop(true)
  const origin = `http://127.0.0.1:${server.port}`

  browser = await launchChromium()
  const context = await browser.newContext()
  const session = await portalDeps(env.services).sessions.issue({
    kind: 'account',
    accountId: account.id,
  })
  await context.addCookies([{ name: SESSION_COOKIE, value: session, url: origin }])
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`)
  })
  await page.goto(`${origin}${path}`)
  return { page, problems }
}

test(
  'a question sent from the page shows the answer as it streams, then formatted',
  async () => {
    const gated = gatedStep(['**Qwen Coder** costs 540 MMK', ' per million input tokens.'])
    const { page, problems } = await openAssistant(scriptedModel([gated.step]), '/assistant')

    await page.fill('#assistant-input', 'Which <cheap> model writes code?')
    await page.click('#assistant button[type=submit]')
    await page.locator('#assistant-log').getByText('Which <cheap> model writes code?').waitFor()
    gated.release(0)
    const answer = page.locator('#assistant-log .card .answer[id^="assistant--"]')
    await answer.getByText('costs 540 MMK').waitFor()
    const partial = await answer.textContent()
    gated.release(1)
    await answer.locator('strong').waitFor()

    expect(partial).toBe('**Qwen Coder** costs 540 MMK')
    expect(await answer.textContent()).toBe('Qwen Coder costs 540 MMK per million input tokens.')
    expect(await answer.locator('strong').textContent()).toBe('Qwen Coder')
    expect(await page.inputValue('#assistant-input')).toBe('')
    expect(problems).toEqual([])
  },
  browserTimeoutMs,
)

test(
  'the panel on another page opens the chat and streams an answer there',
  async () => {
    const model = scriptedModel([textStep('မင်္ဂလာပါ။ ', 'Gemma 3 သည် အခမဲ့ ဖြစ်သည်။')])
    const { page, problems } = await openAssistant(model, '/?lang=my')

    await page.click('#assistant-panel-box summary')
    await page.fill('#assistant-panel-input', 'အခမဲ့ မော်ဒယ် ရှိလား')
    await page.click('#assistant-panel button[type=submit]')
    const answer = page.locator('#assistant-panel-log .answer[id^="assistant-panel--"]')
    await answer.getByText('Gemma 3 သည် အခမဲ့ ဖြစ်သည်။').waitFor()

    expect(await answer.textContent()).toBe('မင်္ဂလာပါ။ Gemma 3 သည် အခမဲ့ ဖြစ်သည်။')
    const summary = page.locator('#assistant-panel-box summary')
    expect(await summary.textContent()).toBe('အကူအညီပေးသူကို မေးရန်')
    expect(problems).toEqual([])
  },
  browserTimeoutMs,
)
