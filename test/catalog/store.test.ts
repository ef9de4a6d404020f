import { afterEach, describe, expect, test } from 'bun:test'
import { asc } from 'drizzle-orm'
import { testDatabase } from '../support/database'
import {
  autoRouter,
  changed,
  chatModels,
  claude,
  embeddingModels,
  gemini,
  gptMini,
} from './fixtures'
import { catalogHarness, TTL_MS } from './harness'
import { FakeUpstream } from './upstream'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function loaded() {
  const upstream = new FakeUpstream(chatModels, embeddingModels)
  cleanups.push(() => upstream.stop())
  const harness = await catalogHarness(upstream)
  cleanups.push(harness.close)
  await harness.catalog.start()
  await harness.catalog.whenReady()
  return { upstream, ...harness }
}

async function storedRows(harness: Awaited<ReturnType<typeof loaded>>) {
  const { db } = harness.database
  const rows = await db.orm.select().from(db.t.models).orderBy(asc(db.t.models.id))
  return rows.map((row) => ({ id: row.id, name: row.name, updatedAt: row.updatedAt }))
}

async function priceRows(harness: Awaited<ReturnType<typeof loaded>>) {
  const { db } = harness.database
  return db.orm.select().from(db.t.modelPrices)
}

describe('writing only what changed', () => {
  test('the first list is written with one price row per model', async () => {
    const harness = await loaded()

    const rows = await storedRows(harness)
    const prices = await priceRows(harness)

    expect(rows.map((row) => row.id)).toEqual([
      'anthropic/claude-sonnet-4',
      'google/gemini-2.5-pro',
      'openai/gpt-4o-mini',
      'openai/text-embedding-3-small',
      'openrouter/auto',
    ])
    expect(prices).toHaveLength(5)
    expect(harness.writes.count).toBe(1)
  })

  test('an identical list writes nothing', async () => {
    const harness = await loaded()
    const before = await storedRows(harness)
    harness.writes.count = 0
    harness.clock.advance(TTL_MS)

    const ok = await harness.catalog.refresh()

    expect(ok).toBe(true)
    expect(harness.writes.count).toBe(0)
    expect(await storedRows(harness)).toEqual(before)
    expect(await priceRows(harness)).toHaveLength(5)
    expect(harness.upstream.hits.models).toBe(2)
  })

  test('exactly the changed rows are written, and price moves are kept as history', async () => {
    const harness = await loaded()
    const start = harness.clock.now()
    harness.upstream.chat = [
      changed(claude, { pricing: { prompt: '0.0000025' } }),
      changed(gemini, { name: 'Google: Gemini 2.5 Pro (GA)' }),
      autoRouter,
      { ...gptMini, id: 'openai/gpt-5-mini', name: 'OpenAI: GPT-5 mini' },
    ]
    harness.writes.count = 0
    harness.clock.advance(TTL_MS)
    const later = harness.clock.now()

    await harness.catalog.refresh()

    expect(harness.writes.count).toBe(1)
    expect(await storedRows(harness)).toEqual([
      { id: 'anthropic/claude-sonnet-4', name: 'Anthropic: Claude Sonnet 4', updatedAt: later },
      { id: 'google/gemini-2.5-pro', name: 'Google: Gemini 2.5 Pro (GA)', updatedAt: later },
      { id: 'openai/gpt-5-mini', name: 'OpenAI: GPT-5 mini', updatedAt: later },
      {
        id: 'openai/text-embedding-3-small',
        name: 'OpenAI: Text Embedding 3 Small',
        updatedAt: start,
      },
      { id: 'openrouter/auto', name: 'Auto Router', updatedAt: start },
    ])
    expect(await harness.catalog.priceHistory(claude.id)).toEqual([
      {
        observedAt: start,
        pricing: { prompt: '0.000003', completion: '0.000015', request: '0', image: '0.0048' },
      },
      {
        observedAt: later,
        pricing: { prompt: '0.0000025', completion: '0.000015', request: '0', image: '0.0048' },
      },
    ])
    expect(await harness.catalog.priceHistory(gemini.id)).toHaveLength(1)
    expect(await harness.catalog.priceHistory('openai/gpt-5-mini')).toHaveLength(1)
    expect(await priceRows(harness)).toHaveLength(7)
    expect(harness.catalog.get(gptMini.id)).toBeUndefined()
  })

  test('a price that turns unknown is a price change, never a zero', async () => {
    const harness = await loaded()
    harness.upstream.chat = [changed(claude, { pricing: { completion: 'NaN' } })]
    harness.clock.advance(TTL_MS)

    await harness.catalog.refresh()
    const history = await harness.catalog.priceHistory(claude.id)

    expect(history.map((point) => point.pricing.completion)).toEqual(['0.000015', null])
    expect(harness.catalog.get(claude.id)?.pricing.completion).toBeNull()
  })
})

describe('a restart', () => {
  test('serves the stored list without waiting for the upstream', async () => {
    const database = await testDatabase()
    cleanups.push(() => database.drop())
    const first = await loaded()
    const upstream = new FakeUpstream(chatModels, embeddingModels)
    cleanups.push(() => upstream.stop())
    const seed = await catalogHarness(upstream, { database })
    await seed.catalog.start()
    await seed.catalog.whenReady()
    await seed.close()
    upstream.hold()
    const again = await catalogHarness(upstream, { database })
    cleanups.push(again.close)

    await again.catalog.start()

    expect(again.catalog.ready).toBe(true)
    expect(again.catalog.list().map((model) => model.id)).toEqual(
      first.catalog.list().map((model) => model.id),
    )
    expect(again.catalog.get(claude.id)).toEqual(first.catalog.get(claude.id))
    expect(upstream.hits.models).toBe(1)
  })
})
