import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { audit } from '../support/ledger'
import { demoCharge, gatewayTest, listen, type GatewayTest } from './support'

let env: GatewayTest
let server: ReturnType<typeof listen>

beforeEach(async () => {
  env = await gatewayTest({ balanceMmk: 1000 })
  server = listen(env)
})

afterEach(async () => {
  await server.stop()
  await env.close()
})

const hello = [{ role: 'user' as const, content: 'Mingalabar, how are you today?' }]

describe('billing through the OpenAI SDK', () => {
  test('a chat completion is charged exactly its upstream cost in MMK', async () => {
    const before = env.balance()

    const answer = await server.client.chat.completions.create({
      model: 'demo/swift-chat',
      messages: hello,
    })

    const usage = answer.usage!
    const charged = demoCharge('demo/swift-chat', usage.prompt_tokens, usage.completion_tokens)
    expect(usage).toEqual({
      prompt_tokens: usage.prompt_tokens,
      completion_tokens: usage.completion_tokens,
      total_tokens: usage.prompt_tokens + usage.completion_tokens,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
      cost_mmk: charged / 10_000,
    } as typeof usage)
    expect(answer.choices[0]!.message.content).toContain('Mingalabar, how are you today?')
    expect(before - env.balance()).toBe(charged)
    expect(env.held()).toBe(0)
    const [row] = await env.usage()
    expect(row).toMatchObject({
      status: 'ok',
      model: 'demo/swift-chat',
      endpoint: 'chat.completions',
      keyId: env.keyId,
      promptTokens: usage.prompt_tokens,
      completionTokens: usage.completion_tokens,
      chargedUnits: charged,
      usdToMmkRate: '4500',
      priceMarkup: '1.2',
      generationId: answer.id,
    })
    expect(await audit(env.services)).toEqual([])
  })

  test('a stream is charged exactly and its usage chunk reaches a client that asked', async () => {
    const before = env.balance()

    const stream = await server.client.chat.completions.create({
      model: 'demo/deep-chat',
      messages: hello,
      stream: true,
      stream_options: { include_usage: true },
    })
    const chunks = []
    for await (const chunk of stream) chunks.push(chunk)

    const last = chunks.at(-1)!
    const usage = last.usage!
    const charged = demoCharge('demo/deep-chat', usage.prompt_tokens, usage.completion_tokens)
    expect(last.choices).toEqual([])
    expect(usage).toEqual({
      prompt_tokens: usage.prompt_tokens,
      completion_tokens: chunks.length - 1,
      total_tokens: usage.prompt_tokens + chunks.length - 1,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0 },
      cost_mmk: charged / 10_000,
    } as typeof usage)
    await env.services.ledger.flush()
    expect(before - env.balance()).toBe(charged)
    expect(await audit(env.services)).toEqual([])
  })

  test(
    'a stream sends no usage chunk to a client ' + 'that did not ask, and is still charged',
    async () => {
      const before = env.balance()

      const stream = await server.client.chat.completions.create({
        model: 'demo/deep-chat',
        messages: hello,
        stream: true,
      })
      const chunks = []
      for await (const chunk of stream) chunks.push(chunk)

      expect(chunks.every((chunk) => chunk.usage === undefined && chunk.choices.length === 1)).toBe(
        true,
      )
      const [row] = await env.usage()
      expect(row!.completionTokens).toBe(chunks.length)
      expect(before - env.balance()).toBe(
        demoCharge('demo/deep-chat', row!.promptTokens, row!.completionTokens),
      )
      expect(await audit(env.services)).toEqual([])
    },
  )

  test('a legacy completion, whole and streamed, is charged exactly', async () => {
    const before = env.balance()

    const whole = await server.client.completions.create({
      model: 'demo/swift-chat',
      prompt: 'Write a haiku about Inle Lake',
      max_tokens: 8,
    })
    const stream = await server.client.completions.create({
      model: 'demo/swift-chat',
      prompt: 'Write a haiku about Inle Lake',
      max_tokens: 8,
      stream: true,
    })
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? ''

    const usage = whole.usage!
    const each = demoCharge('demo/swift-chat', usage.prompt_tokens, usage.completion_tokens)
    expect(whole.object).toBe('text_completion')
    expect(usage.completion_tokens).toBe(8)
    expect(whole.choices[0]!.finish_reason).toBe('length')
    expect(text).toBe(whole.choices[0]!.text)
    await env.services.ledger.flush()
    expect(before - env.balance()).toBe(2 * each)
    expect(await audit(env.services)).toEqual([])
  })

  test('embeddings, base64 (the SDK default) and float, are charged exactly', async () => {
    const before = env.balance()

    const packed = await server.client.embeddings.create({
      model: 'demo/embed-small',
      input: ['ရန်ကုန်', 'Mandalay'],
    })
    const plain = await server.client.embeddings.create({
      model: 'demo/embed-small',
      input: 'Bagan',
      encoding_format: 'float',
    })

    expect(packed.data.map((item) => item.embedding.length)).toEqual([16, 16])
    expect(plain.data[0]!.embedding).toHaveLength(16)
    const tokens = packed.usage.prompt_tokens + plain.usage.prompt_tokens
    const charged =
      demoCharge('demo/embed-small', packed.usage.prompt_tokens, 0) +
      demoCharge('demo/embed-small', plain.usage.prompt_tokens, 0)
    expect(tokens).toBeGreaterThan(0)
    expect(before - env.balance()).toBe(charged)
    expect((plain.usage as unknown as { cost_mmk: number }).cost_mmk).toBe(
      demoCharge('demo/embed-small', plain.usage.prompt_tokens, 0) / 10_000,
    )
    expect(await audit(env.services)).toEqual([])
  })

  test('a free model charges nothing and still records the usage', async () => {
    const before = env.balance()

    const answer = await server.client.chat.completions.create({
      model: 'demo/free-chat:free',
      messages: hello,
    })

    expect((answer.usage as unknown as { cost_mmk: number }).cost_mmk).toBe(0)
    expect(env.balance()).toBe(before)
    expect(await env.usage()).toMatchObject([{ status: 'ok', chargedUnits: 0 }])
    expect(await audit(env.services)).toEqual([])
  })

  test('GET /v1/key shows the key, the money and the spend', async () => {
    const answer = await server.client.chat.completions.create({
      model: 'demo/swift-chat',
      messages: hello,
    })
    const charged = 1000 * 10_000 - env.balance()

    const response = await fetch(`${server.baseUrl}/v1/key`, {
      headers: { authorization: `Bearer ${env.key}` },
    })

    expect(answer.usage!.total_tokens).toBeGreaterThan(0)
    expect(await response.json()).toEqual({
      data: {
        name: 'laptop',
        balance_mmk: 1000 - charged / 10_000,
        available_mmk: 1000 - charged / 10_000,
        spend_today_mmk: charged / 10_000,
        spend_month_mmk: charged / 10_000,
      },
    })
  })
})
