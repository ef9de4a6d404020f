import { afterEach, describe, expect, test } from 'bun:test'
import { admin, buildTestApp, type TestApp } from '../support/app'
import { chatModels, claude, embeddingModels } from './fixtures'
import type { ManualClock } from '../../src/lib/clock'
import { FakeUpstream, waitFor } from './upstream'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function appWith(upstream: FakeUpstream, env: Record<string, string> = {}) {
  cleanups.push(() => upstream.stop())
  const test = await buildTestApp({ upstream: { baseUrl: upstream.baseUrl, demo: false }, env })
  cleanups.push(test.close)
  return test
}

async function get(app: TestApp['app'], path: string) {
  const response = await app.handle(new Request(`http://localhost${path}`))
  return { status: response.status, body: await response.json() }
}

const unknownPrices = { prompt_per_1m: null, completion_per_1m: null, request: null, image: null }

/** The /v1/models body for the fixtures at a rate × markup of 5,400 kyat per dollar. */
const listAt5400 = {
  object: 'list',
  data: [
    {
      id: 'anthropic/claude-sonnet-4',
      object: 'model',
      created: 1747930371,
      owned_by: 'anthropic',
      name: 'Anthropic: Claude Sonnet 4',
      kind: 'chat',
      context_length: 200000,
      input_modalities: ['image', 'text', 'file'],
      output_modalities: ['text'],
      pricing_mmk: { prompt_per_1m: 16200, completion_per_1m: 81000, request: 0, image: 25.92 },
    },
    {
      id: 'google/gemini-2.5-pro',
      object: 'model',
      created: 1750169544,
      owned_by: 'google',
      name: 'Google: Gemini 2.5 Pro',
      kind: 'chat',
      context_length: 1048576,
      input_modalities: ['file', 'image', 'text', 'audio'],
      output_modalities: ['text'],
      pricing_mmk: { prompt_per_1m: 6750, completion_per_1m: 54000, request: 0, image: 27.864 },
    },
    {
      id: 'openai/gpt-4o-mini',
      object: 'model',
      created: 1721260800,
      owned_by: 'openai',
      name: 'OpenAI: GPT-4o-mini',
      kind: 'chat',
      context_length: 128000,
      input_modalities: ['text', 'image', 'file'],
      output_modalities: ['text'],
      pricing_mmk: { prompt_per_1m: 810, completion_per_1m: 3240, request: 0, image: 1.1718 },
    },
    {
      id: 'openai/text-embedding-3-small',
      object: 'model',
      created: 1705968000,
      owned_by: 'openai',
      name: 'OpenAI: Text Embedding 3 Small',
      kind: 'embedding',
      context_length: 8192,
      input_modalities: ['text'],
      output_modalities: ['embeddings'],
      pricing_mmk: { prompt_per_1m: 108, completion_per_1m: 0, request: null, image: null },
    },
    {
      id: 'openrouter/auto',
      object: 'model',
      created: 1699401600,
      owned_by: 'openrouter',
      name: 'Auto Router',
      kind: 'chat',
      context_length: 2000000,
      input_modalities: ['text'],
      output_modalities: ['text'],
      pricing_mmk: unknownPrices,
    },
  ],
}

describe('GET /v1/models', () => {
  test('lists every model in OpenAI shape with MMK prices, waiting out a cold start', async () => {
    const { app } = await appWith(new FakeUpstream(chatModels, embeddingModels))

    const { status, body } = await get(app, '/v1/models')

    expect(status).toBe(200)
    expect(body).toEqual(listAt5400)
  })

  test('a rate or markup change shows in the next answer, with no refetch', async () => {
    const upstream = new FakeUpstream(chatModels, embeddingModels)
    const { app } = await appWith(upstream)
    await get(app, '/v1/models')

    const patched = await admin(app, 'PATCH', '/admin/settings', { usd_to_mmk_rate: 4000 })
    const afterRate = await get(app, '/v1/models')
    await admin(app, 'PATCH', '/admin/settings', { price_markup: 1.5 })
    const afterMarkup = await get(app, '/v1/models')

    expect(patched.status).toBe(200)
    const claudeOf = (body: typeof listAt5400) => body.data[0]!.pricing_mmk
    // 4,000 × 1.2 = 4,800 kyat per dollar; then 4,000 × 1.5 = 6,000.
    expect(claudeOf(afterRate.body)).toEqual({
      prompt_per_1m: 14400,
      completion_per_1m: 72000,
      request: 0,
      image: 23.04,
    })
    expect(claudeOf(afterMarkup.body)).toEqual({
      prompt_per_1m: 18000,
      completion_per_1m: 90000,
      request: 0,
      image: 28.8,
    })
    expect(upstream.hits.models).toBe(1)
  })

  test('a stale list is answered at once while one refresh runs behind it', async () => {
    const upstream = new FakeUpstream(chatModels, embeddingModels)
    const { app, clock, services } = await appWith(upstream)
    await get(app, '/v1/models')
    upstream.hold()
    upstream.chat = [claude]
    const manualClock = clock as ManualClock
    manualClock.advance(3600 * 1000)

    const answers = await Promise.all([1, 2, 3].map(() => get(app, '/v1/models')))
    await waitFor(() => upstream.hits.models === 2, 'the refresh')
    upstream.release()
    await waitFor(() => services.catalog.list().length === 2, 'the new list')
    const after = await get(app, '/v1/models')

    expect(answers.map(({ status, body }) => ({ status, body }))).toEqual(
      Array(3).fill({ status: 200, body: listAt5400 }),
    )
    expect(after.body.data.map((model: { id: string }) => model.id)).toEqual([
      'anthropic/claude-sonnet-4',
      'openai/text-embedding-3-small',
    ])
    expect(upstream.hits.models).toBe(2)
  })

  test('answers 503 when a cold start finds no list in time', async () => {
    const upstream = new FakeUpstream(chatModels)
    upstream.hold()
    const { app } = await appWith(upstream, { CATALOG_COLD_START_TIMEOUT_MS: '100' })

    const { status, body } = await get(app, '/v1/models')

    expect({ status, body }).toEqual({
      status: 503,
      body: {
        error: {
          message: 'The model list is not available yet. Please retry shortly.',
          type: 'service_unavailable_error',
          param: null,
          code: 'catalog_unavailable',
        },
      },
    })
  })

  test('needs no API key, and answers one that is sent only while it is live', async () => {
    const { app, services } = await appWith(new FakeUpstream(chatModels))
    const account = await services.accounts.create({ name: 'Thiri' })
    const { id, key } = await services.keys.create(account.id, 'laptop')
    const list = (authorization?: string) =>
      app.handle(
        new Request('http://localhost/v1/models', {
          headers: authorization ? { authorization } : {},
        }),
      )

    const anonymous = await list()
    const live = await list(`Bearer ${key}`)
    await services.keys.revoke(id)
    const revoked = await list(`Bearer ${key}`)
    const unknown = await list('Bearer nonsense')

    expect(anonymous.status).toBe(200)
    expect(anonymous.headers.get('content-type')).toStartWith('application/json')
    expect(live.status).toBe(200)
    for (const refused of [revoked, unknown]) {
      expect(refused.status).toBe(401)
      expect(await refused.json()).toEqual({
        error: {
          message: 'Incorrect API key provided.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      })
    }
  })
})

describe('GET /v1/models/:id', () => {
  test('reads one model whose id has a slash, with its description', async () => {
    const { app } = await appWith(new FakeUpstream(chatModels, embeddingModels))

    const { status, body } = await get(app, '/v1/models/anthropic/claude-sonnet-4')

    expect(status).toBe(200)
    expect(body).toEqual({ ...listAt5400.data[0], description: claude.description })
  })

  test('refuses a key that is sent but not live', async () => {
    const { app } = await appWith(new FakeUpstream(chatModels))

    const response = await app.handle(
      new Request('http://localhost/v1/models/anthropic/claude-sonnet-4', {
        headers: { authorization: 'Bearer sk-sg-revoked' },
      }),
    )

    expect(response.status).toBe(401)
    expect((await response.json()).error.code).toBe('invalid_api_key')
  })

  test('an encoded slash names the same model', async () => {
    const { app } = await appWith(new FakeUpstream(chatModels))

    const { status, body } = await get(app, '/v1/models/anthropic%2Fclaude-sonnet-4')

    expect(status).toBe(200)
    expect(body.id).toBe('anthropic/claude-sonnet-4')
  })

  test('an id without a slash and a malformed escape are looked up as sent', async () => {
    const { app } = await appWith(new FakeUpstream(chatModels))

    const plain = await get(app, '/v1/models/gpt-4o-mini')
    const malformed = await get(app, '/v1/models/openai/gpt-%E0%A4%A')

    expect(plain.status).toBe(404)
    expect(malformed.body.error.message).toBe("The model 'openai/gpt-%E0%A4%A' does not exist.")
  })

  test('an unknown model is a 404 model_not_found', async () => {
    const { app } = await appWith(new FakeUpstream(chatModels))

    const { status, body } = await get(app, '/v1/models/acme/nothing-here')

    expect({ status, body }).toEqual({
      status: 404,
      body: {
        error: {
          message: "The model 'acme/nothing-here' does not exist.",
          type: 'invalid_request_error',
          param: 'model',
          code: 'model_not_found',
        },
      },
    })
  })
})
