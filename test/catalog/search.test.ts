import { describe, expect, test } from 'bun:test'
import { searchModels, type ModelSearchQuery } from '../../src/catalog/search'
import type { ModelKind } from '../../src/catalog/types'
import { toCatalogModel } from '../../src/catalog/upstream-model'
import { CatalogView } from '../../src/catalog/view'
import { chatModels, embeddingModels, gptMini, type UpstreamModel } from './fixtures'
import { generatedModels, PROVIDERS } from './generated'

const factors = { usdToMmkRate: 4500, priceMarkup: 1.2 }

const freeLlama: UpstreamModel = {
  id: 'meta-llama/llama-3.3-70b-instruct:free',
  name: 'Meta: Llama 3.3 70B Instruct (free)',
  description: 'A multilingual model that rivals Gemini on many chat tasks.',
  context_length: 131072,
  architecture: { input_modalities: ['text'], output_modalities: ['text'] },
  pricing: { prompt: '0', completion: '0' },
}

function viewOf(chat: UpstreamModel[], embeddings: UpstreamModel[] = []) {
  const parse = (kind: ModelKind) => (item: UpstreamModel) => toCatalogModel(item, kind)!.model
  const models = [...chat.map(parse('chat')), ...embeddings.map(parse('embedding'))]
  models.sort((a, b) => (a.id < b.id ? -1 : 1))
  return new CatalogView(models, 1, factors)
}

const fixtures = viewOf([...chatModels, freeLlama], embeddingModels)
const find = (query: ModelSearchQuery) =>
  searchModels(fixtures.entries, query).hits.map((hit) => hit.model.id)

describe('free text', () => {
  test('every word must match somewhere in id, name or description', () => {
    expect(find({ text: 'gpt mini' })).toEqual(['openai/gpt-4o-mini'])
    expect(find({ text: 'gpt sonnet' })).toEqual([])
    expect(find({ text: 'EFFICIENT embedding' })).toEqual(['openai/text-embedding-3-small'])
  })

  test('id and name matches rank above description matches', () => {
    expect(find({ text: 'gemini' })).toEqual([
      'google/gemini-2.5-pro',
      'meta-llama/llama-3.3-70b-instruct:free',
    ])
  })

  test('a version with a dot is one word', () => {
    expect(find({ text: 'gemini 2.5' })).toEqual(['google/gemini-2.5-pro'])
    expect(find({ text: 'llama 3.3' })).toEqual(['meta-llama/llama-3.3-70b-instruct:free'])
  })

  test('the exact id ranks first', () => {
    expect(find({ text: 'openai/gpt-4o-mini' })[0]).toBe(gptMini.id)
  })

  test('text with no words matches everything, ordered by id', () => {
    expect(find({ text: ' -- ' })).toEqual(fixtures.entries.map((entry) => entry.model.id))
  })
})

describe('filters', () => {
  test.each([
    ['input modality', { inputModality: 'audio' }, ['google/gemini-2.5-pro']],
    ['output modality', { outputModality: 'embeddings' }, ['openai/text-embedding-3-small']],
    ['provider', { provider: 'OpenAI' }, ['openai/gpt-4o-mini', 'openai/text-embedding-3-small']],
    ['kind', { kind: 'embedding' }, ['openai/text-embedding-3-small']],
    ['free only', { freeOnly: true }, ['meta-llama/llama-3.3-70b-instruct:free']],
    [
      'minimum context',
      { minContextLength: 1_000_000 },
      ['google/gemini-2.5-pro', 'openrouter/auto'],
    ],
    [
      // 810 and 3,240 MMK per 1M pass; Gemini's 54,000 completion fails; unknown never passes.
      'maximum price on prompt and completion',
      { maxPricePer1MMmk: 5000 },
      [
        'meta-llama/llama-3.3-70b-instruct:free',
        'openai/gpt-4o-mini',
        'openai/text-embedding-3-small',
      ],
    ],
    ['filters together', { provider: 'openai', kind: 'chat', text: 'mini' }, [gptMini.id]],
  ] as const)('%s', (_, query, expected) => {
    expect(find(query as ModelSearchQuery)).toEqual([...expected])
  })
})

describe('ordering and limits', () => {
  test('by price: prompt plus completion, cheapest first, unknown prices last', () => {
    expect(find({ sort: 'price' })).toEqual([
      'meta-llama/llama-3.3-70b-instruct:free',
      'openai/text-embedding-3-small',
      'openai/gpt-4o-mini',
      'google/gemini-2.5-pro',
      'anthropic/claude-sonnet-4',
      'openrouter/auto',
    ])
  })

  test('by context: largest first', () => {
    expect(find({ sort: 'context', limit: 3 })).toEqual([
      'openrouter/auto',
      'google/gemini-2.5-pro',
      'anthropic/claude-sonnet-4',
    ])
  })

  test('a hit carries its MMK prices and whether it is free', () => {
    const [hit] = searchModels(fixtures.entries, { text: 'gpt-4o-mini' }).hits

    expect(hit).toMatchObject({
      free: false,
      pricingMmk: { promptPer1M: 810, completionPer1M: 3240, request: 0, image: 1.1718 },
    })
  })
})

describe('400 models', () => {
  const generated = viewOf(generatedModels(400))
  const search = (query: ModelSearchQuery) => searchModels(generated.entries, query)

  test('a provider filter finds its share and the limit cuts the hits, not the total', () => {
    const result = search({ provider: PROVIDERS[2], limit: 10 })

    expect(result.total).toBe(50)
    expect(result.hits).toHaveLength(10)
    expect(result.hits.every((hit) => hit.model.provider === 'cobalt')).toBe(true)
  })

  test('free only finds every tenth model', () => {
    expect(search({ freeOnly: true, limit: 500 }).total).toBe(40)
  })

  test('words across fields must all match', () => {
    // Burmese translation is topic 1 (i % 4 == 1); acme is provider 0 (i % 8 == 0): never both.
    expect(search({ text: 'acme burmese' }).total).toBe(0)
    // i % 8 == 1 (birch) and i % 4 == 1 agree for every birch model.
    expect(search({ text: 'birch burmese' }).total).toBe(50)
  })

  test('price order never goes down and puts the "-1" models last', () => {
    const { hits } = search({ sort: 'price', limit: 500 })
    const totals = hits.map(({ pricingMmk: { promptPer1M, completionPer1M } }) =>
      promptPer1M === null || completionPer1M === null ? Infinity : promptPer1M + completionPer1M,
    )

    expect(totals).toEqual([...totals].sort((a, b) => a - b))
    // Multiples of 13 below 400 that are not multiples of 10: 31 - 4.
    expect(totals.filter((total) => total === Infinity)).toHaveLength(27)
  })

  test('the limit is bounded', () => {
    expect(search({ limit: 0 }).hits).toHaveLength(1)
    expect(search({ limit: 10_000 }).hits).toHaveLength(400)
  })
})
