import { afterEach, describe, expect, test } from 'bun:test'
import { i18nFor } from '../../src/portal/i18n'
import { gatedStep, hangingStep, promptOf, scriptedModel, textStep, toolStep } from './mock-model'
import { assistantApp, sseReader, waitFor, type AssistantTestApp } from './support'

let env: AssistantTestApp | undefined

afterEach(async () => {
  await env?.stopAll()
  env = undefined
})

async function start(
  model?: ReturnType<typeof scriptedModel>,
  vars: Record<string, string> = {},
  upstream: { demo?: boolean } = {},
) {
  env = await assistantApp(model, vars, upstream)
  const account = await env.services.accounts.create({ name: 'Ko Ko' })
  return { env, account }
}

const en = i18nFor('en')
const my = i18nFor('my')

describe('the assistant page', () => {
  test('a streamed answer reaches the page piece by piece, escaped', async () => {
    const gated = gatedStep(['Try <b>qwen</b>', '\nIt is cheap.'])
    const { env, account } = await start(scriptedModel([gated.step]))
    const user = await env.as(account.id)

    const response = await user.post('/assistant/messages', { message: 'Best <model>?' })
    const sse = sseReader(response)
    const opening = await sse.next()
    gated.release(0)
    const first = await sse.next()
    const second = env.services.inFlight.count
    gated.release(1)
    const rest = await sse.rest()

    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8')
    expect(opening).toContain('<p><span>Best &lt;model&gt;?</span></p>')
    expect(first).toMatch(
      new RegExp(
        '^<hx-partial hx-target="#assistant--[0-9a-f]{12}" hx-swap="beforeend">' +
          '<span><span>Try &lt;b&gt;qwen&lt;/b&gt;</span></span></hx-partial>$',
      ),
    )
    expect(second).toBe(1)
    expect(rest).toEqual([
      expect.stringContaining('<span><span></span><br/><span>It is cheap.</span></span>'),
      expect.stringMatching(
        new RegExp(
          '^<hx-partial hx-target="#assistant--[0-9a-f]{12}" hx-swap="innerHTML">' +
            '<p><span>Try &lt;b&gt;qwen&lt;/b&gt;</span><br/><span>It is cheap.</span></p>' +
            '</hx-partial>$',
        ),
      ),
    ])
    expect(env.services.inFlight.count).toBe(0)
  })

  test(
    'search_models runs against the catalog ' + 'and its results stream into the answer',
    async () => {
      const model = scriptedModel([
        toolStep('search_models', { inputModality: 'image' }),
        textStep('Claude Sonnet 4 reads images.'),
      ])
      const { env, account } = await start(model)
      const user = await env.as(account.id)

      const response = await user.post('/assistant/messages', {
        message: 'Which model sees images?',
      })
      const pieces = await sseReader(response).rest()

      expect(pieces.join('')).toContain('Claude Sonnet 4 reads images.')
      const toolResult = model.doStreamCalls[1]!.prompt.find((message) => message.role === 'tool')
      expect(JSON.stringify(toolResult)).toContain(
        '"id":"anthropic/claude-sonnet-4","name":"Claude Sonnet 4","contextLength":200000',
      )
      expect(JSON.stringify(toolResult)).toContain('"mmkPer1MInputTokens":16200')
    },
  )

  test('a Burmese user gets the Burmese instruction and Burmese page text', async () => {
    const model = scriptedModel([textStep('မင်္ဂလာပါ')])
    const { env, account } = await start(model)
    const user = await env.as(account.id, 'my')

    const response = await user.post('/assistant/messages', { message: 'ဟယ်လို' })
    const [opening] = await sseReader(response).rest()

    expect(promptOf(model, 0).system).toContain('မြန်မာဘာသာ (Unicode) ဖြင့်သာ ဖြေပါ။')
    expect(opening).toContain(`<strong>${my.t('assistant.you')}</strong>`)
  })

  test('a reload shows the conversation, and only to its owner', async () => {
    const answer = textStep('Use qwen/qwen-coder.', '<script>alert(1)</script>')
    const { env, account } = await start(scriptedModel([answer]))
    const other = await env.services.accounts.create({ name: 'Ma Ma' })
    const user = await env.as(account.id)
    await sseReader(await user.post('/assistant/messages', { message: 'A coding model?' })).rest()

    const mine = await (await user.get('/assistant')).text()
    const theirs = await (await (await env.as(other.id)).get('/assistant')).text()

    expect(mine).toContain('<p><span>A coding model?</span></p>')
    expect(mine).toContain(
      '<p><span>Use qwen/qwen-coder.&lt;script&gt;alert(1)&lt;/script&gt;</span></p>',
    )
    expect(mine).not.toContain('<script>alert(1)')
    expect(theirs).not.toContain('A coding model?')
    expect(theirs).toContain(en.t('assistant.empty'))
  })

  test('closing the connection aborts the model call', async () => {
    const hanging = hangingStep('Thinking')
    const { env, account } = await start(scriptedModel([hanging.step]))
    const user = await env.as(account.id)
    const server = env.app.listen({ port: 0, hostname: '127.0.0.1' }).server!
    const origin = `http://127.0.0.1:${server.port}`
    const headers = new Headers(user.request('/').headers)
    headers.set('origin', origin)
    headers.set('content-type', 'application/x-www-form-urlencoded')
    const tab = new AbortController()

    try {
      const response = await fetch(`${origin}/assistant/messages`, {
        method: 'POST',
        headers,
        body: new URLSearchParams({ message: 'Tell me everything' }),
        signal: tab.signal,
      })
      const sse = sseReader(response)
      await sse.next()
      const first = await sse.next()
      tab.abort()
      await waitFor(() => hanging.seen.aborted, 'the model call to be aborted')
      await waitFor(() => env.services.inFlight.count === 0, 'the turn to end')

      expect(first).toContain('<span>Thinking</span>')
      const logged = env.logs.map((line) => JSON.parse(line).event)
      expect(logged).toContain('assistant_aborted')
      expect(logged).not.toContain('assistant_failed')
    } finally {
      await server.stop(true)
    }
  })

  test('the page needs a signed-in account', async () => {
    const { env } = await start(scriptedModel([textStep('x')]))

    const response = await env.app.handle(new Request('http://localhost/assistant'))

    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('/signin?next=%2Fassistant')
  })
})

describe('limits', () => {
  const refusal = (text: string) => `<p class="error" role="alert">${text}</p>`

  test('more than 10 messages in one request are refused, translated', async () => {
    const { env, account } = await start(scriptedModel([textStep('x')]))
    const user = await env.as(account.id, 'my')

    const response = await user.post('/assistant/messages', { message: Array(11).fill('hi') })

    expect(response.status).toBe(400)
    expect(await response.text()).toBe(refusal(my.t('assistant.tooManyMessages', { max: 10 })))
  })

  test('a message over 500 characters is refused, translated', async () => {
    const { env, account } = await start(scriptedModel([textStep('x')]))
    const user = await env.as(account.id)

    const response = await user.post('/assistant/messages', { message: 'a'.repeat(501) })

    expect(response.status).toBe(400)
    expect(await response.text()).toBe(refusal(en.t('assistant.messageTooLong', { max: 500 })))
  })

  test('ten messages of 500 Burmese characters are accepted as one turn', async () => {
    const model = scriptedModel([textStep('OK')])
    const { env, account } = await start(model)
    const user = await env.as(account.id)

    const response = await user.post('/assistant/messages', {
      message: Array(10).fill('က'.repeat(500)),
    })
    await sseReader(response).rest()

    expect(response.status).toBe(200)
    expect(promptOf(model, 0).messages).toHaveLength(10)
  })

  test('the per-user rate limit refuses with a translated message and Retry-After', async () => {
    const { env, account } = await start(scriptedModel([textStep('x')]), {
      ASSISTANT_REQUESTS_PER_MINUTE: '1',
    })
    const user = await env.as(account.id, 'my')
    const other = await env.as((await env.services.accounts.create({ name: 'Other' })).id)

    await sseReader(await user.post('/assistant/messages', { message: 'one' })).rest()
    const refused = await user.post('/assistant/messages', { message: 'two' })
    const someoneElse = await other.post('/assistant/messages', { message: 'one' })
    await sseReader(someoneElse).rest()

    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('60')
    expect(await refused.text()).toBe(refusal(my.t('assistant.rateLimited', { seconds: 60 })))
    expect(someoneElse.status).toBe(200)
  })

  test('more than 2 tool steps end with a translated notice', async () => {
    const model = scriptedModel([toolStep('search_models', { task: 'code' })])
    const { env, account } = await start(model)
    const user = await env.as(account.id, 'my')

    const pieces = await sseReader(
      await user.post('/assistant/messages', { message: 'all?' }),
    ).rest()

    expect(model.doStreamCalls).toHaveLength(3)
    expect(pieces.at(-1)).toContain(my.t('assistant.stepLimit'))
  })

  test('a notice after some text stays after the answer is formatted', async () => {
    // Each step writes a little, then calls the tool again, until the step limit.
    const step = [...textStep('**Checking** ').slice(0, -1), ...toolStep('search_models', {})]
    const model = scriptedModel([step])
    const { env, account } = await start(model)
    const user = await env.as(account.id)

    const pieces = await sseReader(
      await user.post('/assistant/messages', { message: 'all?' }),
    ).rest()

    const formatted = pieces.findIndex((piece) => piece.includes('hx-swap="innerHTML"'))
    expect(pieces[formatted]).toContain('<strong>Checking</strong>')
    expect(pieces.slice(formatted + 1)).toEqual([
      expect.stringContaining(en.t('assistant.stepLimit')),
    ])
  })
})

describe('without a model', () => {
  test(
    'without a Gemini key and with the demo upstream, ' + 'the assistant is unavailable',
    async () => {
      const { env, account } = await start(undefined, {}, { demo: true })
      const user = await env.as(account.id, 'my')

      const page = await (await user.get('/assistant')).text()
      const post = await user.post('/assistant/messages', { message: 'hello' })

      expect(page).toContain(my.t('assistant.unavailable'))
      expect(page).not.toContain('hx-post="/assistant/messages"')
      expect(post.status).toBe(503)
      expect(await post.text()).toContain(my.t('assistant.unavailable'))
    },
  )
})

describe('with a Gemini key', () => {
  test('the configured app offers the assistant without any mock model', async () => {
    const { env, account } = await start(
      undefined,
      { GOOGLE_GENERATIVE_AI_API_KEY: 'g-test-key' },
      { demo: true },
    )
    const user = await env.as(account.id)

    const page = await (await user.get('/assistant')).text()

    expect(page).toContain('hx-post="/assistant/messages"')
    expect(page).not.toContain(en.t('assistant.unavailable'))
  })
})
