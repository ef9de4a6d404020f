import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { ConversationStore } from '../../src/assistant/conversations'
import type { AssistantLanguage } from '../../src/assistant/instructions'
import { platformFacts } from '../../src/assistant/knowledge'
import { searchModelsTool } from '../../src/assistant/search-tool'
import { runTurn, type TurnEvent } from '../../src/assistant/turn'
import { i18nFor } from '../../src/portal/i18n'
import { buildTestApp, type TestApp } from '../support/app'
import { startCatalogUpstream } from './catalog-upstream'
import {
  failingStep,
  hangingStep,
  promptOf,
  scriptedModel,
  streamOf,
  textStep,
  toolOutputOf,
  toolStep,
  type Step,
} from './mock-model'

type SearchedModel = { id: string; mmkPer1MInputTokens: number; mmkPer1MOutputTokens: number }

let env: TestApp
let stopUpstream: () => Promise<void>
let accountId: string

beforeEach(async () => {
  const local = startCatalogUpstream()
  stopUpstream = local.stop
  env = await buildTestApp({ upstream: local.upstream })
  expect(await env.services.catalog.whenReady()).toBe(true)
  accountId = (await env.services.accounts.create({ name: 'Aye Aye' })).id
})

afterEach(async () => {
  await env.close()
  await stopUpstream()
})

function setup(steps: Step[]) {
  const model = scriptedModel(steps)
  const store = new ConversationStore(env.services.db, env.clock)
  const deps = {
    model,
    modelId: 'mock-model',
    store,
    tools: { search_models: searchModelsTool(env.services.catalog) },
    facts: (language: AssistantLanguage) => platformFacts(env.services, language),
    logger: env.services.logger,
  }
  const turn = (text: string, language: AssistantLanguage = 'en', signal?: AbortSignal) =>
    runTurn(deps, {
      accountId,
      requestId: 'req_test_0001',
      language,
      messages: [text],
      signal: signal ?? new AbortController().signal,
    })
  const ask = async (text: string, language: AssistantLanguage = 'en') => {
    const events: TurnEvent[] = []
    for await (const event of turn(text, language)) events.push(event)
    return events
  }
  return { model, store, turn, ask }
}

const answerOf = (events: TurnEvent[]) =>
  events.map((event) => (event.type === 'text' ? event.text : `[${event.notice}]`)).join('')

const logEvents = (name: string) =>
  env.logs.map((line) => JSON.parse(line)).filter((entry) => entry.event === name)

describe('a turn', () => {
  test('search_models runs against the catalog and its results reach the answer', async () => {
    const { model, ask } = setup([
      toolStep('search_models', { task: 'code', maxPricePer1MMmk: 20000 }),
      (options) => {
        const found = toolOutputOf(options) as { models: SearchedModel[] }
        const lines = found.models.map(
          (m) => `${m.id}: ${m.mmkPer1MInputTokens} / ${m.mmkPer1MOutputTokens} MMK`,
        )
        return streamOf(textStep(...lines))
      },
    ])

    const events = await ask('Which cheap model writes code?')

    expect(answerOf(events)).toBe('qwen/qwen-coder: 540 / 1080 MMK')
    expect(model.doStreamCalls).toHaveLength(2)
  })

  test('stops after two tool steps and takes the tools away for the last step', async () => {
    const { model, ask } = setup([toolStep('search_models', { task: 'code' })])

    const events = await ask('Find every model, again and again')

    expect(model.doStreamCalls.map((call) => call.tools?.map((t) => t.name) ?? [])).toEqual([
      ['search_models'],
      ['search_models'],
      [],
    ])
    expect(events).toEqual([{ type: 'notice', notice: 'step_limit' }])
  })

  test('the instructions carry the facts in force and the language of the user', async () => {
    const { model, ask } = setup([textStep('မင်္ဂလာပါ')])
    await env.services.pricing.update({ usdToMmkRate: 5100 })

    await ask('ဈေးနှုန်း ဘယ်လောက်လဲ', 'my')
    await ask('What is the rate?', 'en')

    const burmese = promptOf(model, 0).system
    const english = promptOf(model, 1).system
    expect(burmese).toContain('မြန်မာဘာသာ (Unicode) ဖြင့်သာ ဖြေပါ။')
    expect(english).not.toContain('မြန်မာဘာသာ')
    expect(english).toEndWith('Answer in English.')
    expect(burmese).toContain('"usdToMmkRate":5100')
    expect(burmese).toContain('"wallets":["KBZPay","WavePay","AYAPay","CBPay"]')
    expect(burmese).toContain(JSON.stringify(i18nFor('my').t('docs.billing1')))
    expect(english).toContain(JSON.stringify(i18nFor('en').t('docs.billing1')))
  })

  test('after 8 turns the older ones are folded into the summary', async () => {
    const { model, store, ask } = setup([textStep('An answer.')])
    for (let turn = 1; turn <= 8; turn++) await ask(`Question ${turn}`)

    const conversation = await store.current(accountId)
    await ask('Question 9')

    expect(conversation).toMatchObject({
      summary: 'The user asked about models.',
      summarizedTurns: 6,
    })
    expect(model.doGenerateCalls).toHaveLength(1)
    const ninth = promptOf(model, 8)
    expect(ninth.system).toContain(
      'Summary of the earlier conversation:\nThe user asked about models.',
    )
    expect(ninth.messages).toEqual([
      { role: 'user', text: 'Question 7' },
      { role: 'assistant', text: 'An answer.' },
      { role: 'user', text: 'Question 8' },
      { role: 'assistant', text: 'An answer.' },
      { role: 'user', text: 'Question 9' },
    ])
    expect(logEvents('assistant_summary')).toHaveLength(1)
  })

  test('the conversation is kept for the account, so a reload shows it', async () => {
    const { store, ask } = setup([textStep('Hello', ' there.')])

    await ask('Hi')

    const conversation = await store.current(accountId)
    const messages = await store.messages(conversation!.id)
    expect(messages.map((m) => [m.role, m.content])).toEqual([
      ['user', 'Hi'],
      ['assistant', 'Hello there.'],
    ])
  })

  test('aborting the request aborts the model call and stores no answer', async () => {
    const hanging = hangingStep('Partial')
    const { store, turn } = setup([hanging.step])
    const controller = new AbortController()

    const events: TurnEvent[] = []
    for await (const event of turn('Tell me everything', 'en', controller.signal)) {
      events.push(event)
      controller.abort()
    }

    expect(hanging.seen.aborted).toBe(true)
    expect(events).toEqual([{ type: 'text', text: 'Partial' }])
    const conversation = await store.current(accountId)
    const roles = (await store.messages(conversation!.id)).map((m) => m.role)
    expect(roles).toEqual(['user'])
    expect(logEvents('assistant_aborted')).toHaveLength(1)
  })

  test('a failing model gives a notice and an error log line without the secret', async () => {
    const { ask } = setup([failingStep()])

    const events = await ask('Hello?')

    expect(events).toEqual([{ type: 'notice', notice: 'failed' }])
    expect(logEvents('assistant_failed')).toEqual([
      expect.objectContaining({ level: 'error', requestId: 'req_test_0001', accountId }),
    ])
    expect(env.logs.join('\n')).not.toContain('sk-live-123')
    expect(env.logs.join('\n')).not.toContain('Hello?')
  })

  test('token usage is logged as fields, without the prompt or the answer', async () => {
    const { ask } = setup([textStep('Secret answer text')])

    await ask('Private question text')

    expect(logEvents('assistant_usage')).toEqual([
      expect.objectContaining({
        requestId: 'req_test_0001',
        model: 'mock-model',
        inputTokens: 12,
        outputTokens: 7,
        totalTokens: 19,
        finishReason: 'stop',
      }),
    ])
    expect(env.logs.join('\n')).not.toMatch(/Secret answer text|Private question text/)
  })
})
