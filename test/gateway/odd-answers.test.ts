import { describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { UNITS_PER_MMK } from '../../src/ledger/money'
import { audit } from '../support/ledger'
import { expectedUnits, sse, sseHeaders, stoppedAfterEach, until } from './support'

const start = stoppedAfterEach()

const ask = { model: 'demo/swift-chat', messages: [{ role: 'user' as const, content: 'hi' }] }
const streamed = { ...ask, stream: true as const, stream_options: { include_usage: true } }
const record = { id: 'gen-odd', total_cost: 0.0000042, tokens_prompt: 7, tokens_completion: 2 }

/** An upstream answering every completion with `answer`, and `record` for the lookup. */
function upstreamAnswering(answer: (streamed: boolean) => Response) {
  return start.upstream(async (request, url) => {
    if (url.pathname.endsWith('/generation')) return Response.json({ data: record })
    const body = (await request.json()) as { stream?: boolean }
    return answer(body.stream === true)
  })
}

const completion = (extra: object) => ({
  id: 'gen-odd',
  object: 'chat.completion',
  created: 1,
  model: 'demo/swift-chat',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: 'ok' } }],
  ...extra,
})

describe('answers whose usage is odd', () => {
  test('a usage nested inside the answer is not billed, nor taken for the real one', async () => {
    const real = { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15, cost: 0.0000036 }
    const nested = { prompt_tokens: 1, completion_tokens: 0 }
    // The real usage comes first; the last `"usage"` in the text belongs to a tool's output.
    const text = JSON.stringify({
      usage: real,
      ...completion({}),
      choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, usage: nested }],
    })
    const upstream = upstreamAnswering(
      () => new Response(text, { headers: { 'content-type': 'application/json' } }),
    )
    const env = await start.gateway({ upstream: upstream.target })
    const before = env.balance()

    const response = await env.post('/v1/chat/completions', ask)
    const body = await response.json()

    expect(body.usage).toEqual({
      prompt_tokens: 12,
      completion_tokens: 3,
      total_tokens: 15,
      cost_mmk: expectedUnits(3600n) / UNITS_PER_MMK,
    })
    expect(JSON.stringify(body)).not.toContain('"cost"')
    expect(body.choices[0].usage).toEqual(nested)
    expect(before - env.balance()).toBe(expectedUnits(3600n))
  })

  test('an empty usage is not taken as free: the upstream record bills the answer', async () => {
    const upstream = upstreamAnswering(() => Response.json(completion({ usage: {} })))
    const env = await start.gateway({ upstream: upstream.target })
    const before = env.balance()

    const body = await (await env.post('/v1/chat/completions', ask)).json()
    await until(() => env.held() === 0)

    expect(body.usage).toEqual({})
    expect(before - env.balance()).toBe(expectedUnits(4200n))
    expect(await env.usage()).toMatchObject([{ status: 'ok', chargedUnits: expectedUnits(4200n) }])
    expect(await audit(env.services)).toEqual([])
  })

  test('token counts that are not whole numbers of tokens are not shown', async () => {
    const usage = {
      prompt_tokens: -5,
      completion_tokens: 1e20,
      total_tokens: 'many',
      cost: 0.0000036,
      completion_tokens_details: { reasoning_tokens: -1, audio_tokens: 2, note: 'x' },
      prompt_tokens_details: 'none',
    }
    const upstream = upstreamAnswering(() => Response.json(completion({ usage })))
    const env = await start.gateway({ upstream: upstream.target })

    const body = await (await env.post('/v1/chat/completions', ask)).json()

    expect(body.usage).toEqual({
      completion_tokens_details: { audio_tokens: 2 },
      cost_mmk: expectedUnits(3600n) / UNITS_PER_MMK,
    })
  })
})

test('a choice that failed midway is billed and recorded as an upstream error', async () => {
  const failed = {
    index: 0,
    finish_reason: 'error',
    message: { role: 'assistant', content: 'partial "error" output' },
    error: { code: 502, message: 'Provider disconnected mid-stream' },
  }
  const usage = { prompt_tokens: 12, completion_tokens: 3, cost: 0.0000036 }
  const upstream = upstreamAnswering(() => Response.json(completion({ choices: [failed], usage })))
  const env = await start.gateway({ upstream: upstream.target })

  const body = await (await env.post('/v1/chat/completions', ask)).json()

  expect(body.choices[0].message.content).toBe('partial "error" output')
  expect(await env.usage()).toMatchObject([
    { status: 'upstream_error', chargedUnits: expectedUnits(3600n) },
  ])
})

test('an unreadable answer, which may be billed, is not retried by the OpenAI SDK', async () => {
  const upstream = upstreamAnswering(() => new Response('{"choices": [', { status: 200 }))
  const env = await start.gateway({ upstream: upstream.target })
  const server = start.listen(env)
  const client = new OpenAI({ apiKey: env.key, baseURL: `${server.baseUrl}/v1`, maxRetries: 2 })

  const failure = await client.chat.completions.create(ask).catch((error: unknown) => error)
  await until(() => env.held() === 0)

  expect(failure).toBeInstanceOf(OpenAI.APIError)
  expect((failure as InstanceType<typeof OpenAI.APIError>).status).toBe(502)
  expect(upstream.seen.filter((seen) => seen.path.endsWith('/chat/completions'))).toHaveLength(1)
})

describe('streams with odd events', () => {
  const chunk = (content: string) => ({
    id: 'gen-odd',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'demo/swift-chat',
    choices: [{ index: 0, delta: { content } }],
  })
  const last = (usage: object) => ({ ...chunk(''), choices: [], usage })

  test('an event without data reaches the OpenAI SDK as a comment it skips', async () => {
    const usage = { prompt_tokens: 2, completion_tokens: 2, cost: 0.0000036 }
    const events = sse('event: ping', chunk('Min'), 'event: ping\nid: 7', chunk('galabar'))
    const upstream = upstreamAnswering(
      () => new Response(events + sse(last(usage), '[DONE]'), { headers: sseHeaders }),
    )
    const env = await start.gateway({ upstream: upstream.target })
    const server = start.listen(env)

    const stream = await server.client.chat.completions.create(streamed)
    let text = ''
    let costMmk: unknown
    for await (const part of stream) {
      text += part.choices[0]?.delta.content ?? ''
      if (part.usage) costMmk = (part.usage as unknown as { cost_mmk: number }).cost_mmk
    }

    expect(text).toBe('Mingalabar')
    expect(costMmk).toBe(expectedUnits(3600n) / UNITS_PER_MMK)
  })

  test('a whole answer to a streaming request reaches the SDK as a stream', async () => {
    const call = {
      id: 'call_1',
      type: 'function' as const,
      function: { name: 'f', arguments: '{}' },
    }
    const message = { role: 'assistant', content: 'Mingalabar', tool_calls: [call] }
    const usage = { prompt_tokens: 2, completion_tokens: 2, cost: 0.0000036 }
    const whole = completion({ choices: [{ index: 0, finish_reason: 'stop', message }], usage })
    const upstream = upstreamAnswering(() => Response.json(whole))
    const env = await start.gateway({ upstream: upstream.target })
    const server = start.listen(env)

    const stream = await server.client.chat.completions.create(streamed)
    const parts = []
    for await (const part of stream) parts.push(part)

    expect(parts.map((part) => part.choices[0]?.delta)).toEqual([
      { role: 'assistant', content: 'Mingalabar', tool_calls: [{ index: 0, ...call }] },
      undefined,
    ])
    expect(parts[0]!.choices[0]!.finish_reason).toBe('stop')
    expect(parts[1]!.usage).toMatchObject({ cost_mmk: expectedUnits(3600n) / UNITS_PER_MMK })
    expect(1000 * UNITS_PER_MMK - env.balance()).toBe(expectedUnits(3600n))
  })

  test('an empty usage chunk shows no charge; the upstream record bills the stream', async () => {
    const upstream = upstreamAnswering(
      () => new Response(sse(chunk('hi'), last({}), '[DONE]'), { headers: sseHeaders }),
    )
    const env = await start.gateway({ upstream: upstream.target })
    const before = env.balance()

    const response = await env.post('/v1/chat/completions', streamed)
    const text = await response.text()
    await until(() => env.held() === 0)

    expect(text).toContain('"usage":{}')
    expect(text).not.toContain('cost_mmk')
    expect(before - env.balance()).toBe(expectedUnits(4200n))
    expect(await audit(env.services)).toEqual([])
  })
})
