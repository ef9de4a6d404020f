import { describe, expect, test } from 'bun:test'
import { audit } from '../support/ledger'
import { expectedUnits, sse, sseHeaders, until, stoppedAfterEach } from './support'

const start = stoppedAfterEach()

const encoder = new TextEncoder()
const chunk = (content: string, extra: object = {}) => ({
  id: 'gen-test-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'demo/swift-chat',
  provider: 'SomeProvider',
  choices: [{ index: 0, delta: { content }, finish_reason: null, native_finish_reason: null }],
  ...extra,
})
const usageChunk = (cost: number) => ({
  id: 'gen-test-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'demo/swift-chat',
  choices: [],
  usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12, cost, is_byok: false },
})

/** An upstream stream the test writes to by hand, event by event. */
function manualStream() {
  let controller!: ReadableStreamDefaultController<Uint8Array>
  let aborted = false
  // Bun sends response headers with the first chunk, so the stream opens with a keep-alive,
  // as OpenRouter's do.
  const body = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c
      c.enqueue(encoder.encode(': OPENROUTER PROCESSING\n\n'))
    },
  })
  return {
    body,
    send: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
    watch: (request: Request) => request.signal.addEventListener('abort', () => (aborted = true)),
    get aborted() {
      return aborted
    },
  }
}

const ask = {
  model: 'demo/swift-chat',
  messages: [{ role: 'user' as const, content: 'hello' }],
  stream: true as const,
}

describe('streaming', () => {
  test('each chunk reaches the client before the upstream sends the next', async () => {
    const manual = manualStream()
    const upstream = start.upstream(() => new Response(manual.body, { headers: sseHeaders }))
    const env = await start.gateway({ upstream: upstream.target })
    const server = start.listen(env)

    const stream = await server.client.chat.completions.create(ask)
    const reader = stream[Symbol.asyncIterator]()
    manual.send(sse(chunk('one')))
    const first = await reader.next()
    manual.send(sse(chunk('two')))
    const second = await reader.next()
    manual.send(sse(usageChunk(0.000003), '[DONE]'))
    manual.end()
    const third = await reader.next()

    expect(first.value!.choices[0]!.delta.content).toBe('one')
    expect(second.value!.choices[0]!.delta.content).toBe('two')
    expect(third.done).toBe(true)
    expect(await env.usage()).toMatchObject([
      { status: 'ok', chargedUnits: expectedUnits(3000n), completionTokens: 2 },
    ])
    expect(await audit(env.services)).toEqual([])
  })

  test('upstream comments become our own keep-alives, and upstream-only fields go', async () => {
    const upstream = start.upstream(
      () =>
        new Response(
          sse(
            ': OPENROUTER PROCESSING',
            chunk('hi'),
            ': OPENROUTER PROCESSING',
            usageChunk(1e-6),
            '[DONE]',
          ),
          { headers: sseHeaders },
        ),
    )
    const env = await start.gateway({ upstream: upstream.target })

    const response = await env.post('/v1/chat/completions', ask)
    const text = await response.text()

    const kept = { index: 0, delta: { content: 'hi' }, finish_reason: null }
    const { provider: _, ...visible } = chunk('hi', { choices: [kept] })
    expect(text).toBe(sse(': keep-alive', visible, ': keep-alive', '[DONE]'))
  })

  test('a quiet spell gets keep-alives between whole events, never inside one', async () => {
    const manual = manualStream()
    const upstream = start.upstream(() => new Response(manual.body, { headers: sseHeaders }))
    const env = await start.gateway({
      upstream: upstream.target,
      env: { STREAM_KEEPALIVE_MS: '30' },
    })

    const response = await env.post('/v1/chat/completions', ask)
    const event = sse(chunk('one'))
    manual.send(event.slice(0, 40))
    await Bun.sleep(200)
    manual.send(event.slice(40))
    manual.send(sse(usageChunk(0.000001), '[DONE]'))
    manual.end()
    const events = (await response.text()).split('\n\n').filter(Boolean)

    const content = events.findIndex((text) => text.includes('"content":"one"'))
    expect(events.slice(0, content).length).toBeGreaterThanOrEqual(2)
    expect(events.slice(0, content).every((text) => text === ': keep-alive')).toBe(true)
    expect(events.slice(content + 1)).toEqual(['data: [DONE]'])
    expect(await env.usage()).toMatchObject([{ status: 'ok', completionTokens: 2 }])
  })

  test(
    'a client that disconnects aborts the upstream ' + 'at once and pays what the upstream records',
    async () => {
      const manual = manualStream()
      const upstream = start.upstream((request, url) => {
        if (url.pathname.endsWith('/generation')) {
          const data = {
            id: 'gen-test-1',
            total_cost: 0.0000021,
            tokens_prompt: 10,
            tokens_completion: 1,
          }
          return Response.json({ data })
        }
        manual.watch(request)
        return new Response(manual.body, {
          headers: { ...sseHeaders, 'x-generation-id': 'gen-test-1' },
        })
      })
      const env = await start.gateway({ upstream: upstream.target })
      const server = start.listen(env)
      const leaving = new AbortController()

      const response = await fetch(`${server.baseUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${env.key}`, 'content-type': 'application/json' },
        body: JSON.stringify(ask),
        signal: leaving.signal,
      })
      const reader = response.body!.getReader()
      manual.send(sse(chunk('one')))
      await reader.read()
      leaving.abort()

      await until(() => manual.aborted, 1000)
      await until(() => env.held() === 0)
      expect(upstream.seen.map((seen) => seen.path)).toEqual([
        '/api/v1/chat/completions',
        '/api/v1/generation?id=gen-test-1',
      ])
      expect(await env.usage()).toMatchObject([
        { status: 'client_closed', chargedUnits: expectedUnits(2100n), generationId: 'gen-test-1' },
      ])
      expect(await audit(env.services)).toEqual([])
    },
  )

  test(
    'without a generation record, a disconnect is ' + 'charged an estimate no larger than the hold',
    async () => {
      const manual = manualStream()
      const upstream = start.upstream((request, url) => {
        if (url.pathname.endsWith('/generation'))
          return Response.json({ error: {} }, { status: 404 })
        manual.watch(request)
        return new Response(manual.body, { headers: sseHeaders })
      })
      const env = await start.gateway({
        upstream: upstream.target,
        env: { GENERATION_LOOKUP_TRIES: '3' },
      })
      const before = env.balance()
      const body = JSON.stringify({ ...ask, max_tokens: 100 })
      const leaving = new AbortController()

      const response = await env.app.handle(
        new Request('http://localhost/v1/chat/completions', {
          method: 'POST',
          headers: { authorization: `Bearer ${env.key}`, 'content-type': 'application/json' },
          body,
          signal: leaving.signal,
        }),
      )
      const reader = response.body!.getReader()
      manual.send(sse(chunk('one'), chunk('two')))
      let received = ''
      while (!received.includes('two'))
        received += new TextDecoder().decode((await reader.read()).value)
      await reader.cancel()

      await until(() => env.held() === 0)
      const promptTokens = Math.ceil(body.length / 3)
      const estimate = expectedUnits(BigInt(promptTokens) * 150n + 2n * 600n)
      await until(() => manual.aborted, 1000)
      expect(upstream.seen.filter((seen) => seen.path.includes('generation'))).toHaveLength(3)
      expect(await env.usage()).toMatchObject([
        { status: 'client_closed', chargedUnits: estimate, promptTokens, completionTokens: 2 },
      ])
      expect(before - env.balance()).toBe(estimate)
      expect(await audit(env.services)).toEqual([])
    },
  )

  test(
    'a mid-stream upstream error becomes an OpenAI ' + 'error event and is billed by its usage',
    async () => {
      const failure = chunk('', {
        error: { code: 502, message: 'Provider disconnected', metadata: { provider_name: 'X' } },
        usage: { prompt_tokens: 10, completion_tokens: 1, total_tokens: 11, cost: 0.0000016 },
      })
      const upstream = start.upstream(
        () => new Response(sse(chunk('par'), failure), { headers: sseHeaders }),
      )
      const env = await start.gateway({ upstream: upstream.target })
      const server = start.listen(env)

      const stream = await server.client.chat.completions.create(ask)
      const seen: string[] = []
      const failed = await (async () => {
        for await (const part of stream) seen.push(part.choices[0]!.delta.content ?? '')
      })().catch((error: Error) => error)

      expect(seen).toEqual(['par'])
      expect(failed).toMatchObject({ error: { type: 'api_error', code: 'upstream_error' } })
      expect(await env.usage()).toMatchObject([
        { status: 'upstream_error', chargedUnits: expectedUnits(1600n) },
      ])
      expect(await audit(env.services)).toEqual([])
    },
  )

  test('a stream that goes silent is cut with a timeout event and settled', async () => {
    const manual = manualStream()
    const upstream = start.upstream((request) => {
      manual.watch(request)
      return new Response(manual.body, { headers: sseHeaders })
    })
    const env = await start.gateway({
      upstream: upstream.target,
      env: { STREAM_IDLE_TIMEOUT_MS: '200', GENERATION_LOOKUP_TRIES: '0' },
    })

    const response = await env.post('/v1/chat/completions', ask)
    manual.send(sse(chunk('one')))
    const text = await response.text()

    expect(text).toContain('"code":"upstream_timeout"')
    await until(() => manual.aborted, 1000)
    await until(() => env.held() === 0)
    expect(await env.usage()).toMatchObject([{ status: 'timeout' }])
    expect(await audit(env.services)).toEqual([])
  })
})
