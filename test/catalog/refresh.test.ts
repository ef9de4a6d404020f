import { afterEach, describe, expect, test } from 'bun:test'
import {
  changed,
  chatModels,
  claude,
  embedding,
  embeddingModels,
  gptMini,
  type UpstreamModel,
} from './fixtures'
import { catalogHarness, TTL_MS } from './harness'
import { events, FakeUpstream, waitFor } from './upstream'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function setup(upstream = new FakeUpstream(chatModels, embeddingModels)) {
  cleanups.push(() => upstream.stop())
  const harness = await catalogHarness(upstream)
  cleanups.push(harness.close)
  return { upstream, ...harness }
}

const ids = (models: readonly { id: string }[]) => models.map((model) => model.id)

describe('cold start', () => {
  test(
    'an empty database starts the first fetch ' + 'without waiting; whenReady waits for it',
    async () => {
      const upstream = new FakeUpstream(chatModels, embeddingModels)
      upstream.hold()
      const { catalog } = await setup(upstream)

      await catalog.start()
      const before = { ready: catalog.ready, model: catalog.get(claude.id) }
      const ready = catalog.whenReady()
      upstream.release()

      expect(before).toEqual({ ready: false, model: undefined })
      expect(await ready).toBe(true)
      expect(ids(catalog.list())).toEqual([
        'anthropic/claude-sonnet-4',
        'google/gemini-2.5-pro',
        'openai/gpt-4o-mini',
        'openai/text-embedding-3-small',
        'openrouter/auto',
      ])
      expect(catalog.get(embedding.id)?.kind).toBe('embedding')
      expect(upstream.hits).toEqual({ models: 1, embeddings: 1 })
    },
  )

  test('whenReady gives up after its timeout while the upstream is silent', async () => {
    const upstream = new FakeUpstream(chatModels)
    upstream.hold()
    const { catalog } = await setup(upstream)
    await catalog.start()

    const ready = await catalog.whenReady(20)

    expect(ready).toBe(false)
    expect(catalog.ready).toBe(false)
  })

  test('the upstream key is sent as a bearer token', async () => {
    const upstream = new FakeUpstream(chatModels)
    cleanups.push(() => upstream.stop())
    const { catalog, close } = await catalogHarness(upstream, { apiKey: 'sk-or-test' })
    cleanups.push(close)

    await catalog.refresh()

    expect(upstream.authorization).toBe('Bearer sk-or-test')
  })
})

describe('odd lists', () => {
  test('items without a usable id are skipped', async () => {
    const junk = [{ name: 'no id' }, { id: '  ' }, 'a string', null] as unknown as UpstreamModel[]
    const { catalog } = await setup(new FakeUpstream([...junk, gptMini]))

    await catalog.refresh()

    expect(ids(catalog.list())).toEqual([gptMini.id])
  })

  test(
    'an id listed twice, or as chat and embedding, ' + 'is kept once: the chat listing wins',
    async () => {
      const upstream = new FakeUpstream(
        [
          claude,
          changed(claude, { name: 'Second Claude' }),
          changed(embedding, { name: 'Chat E' }),
        ],
        embeddingModels,
      )
      const { catalog } = await setup(upstream)

      const ok = await catalog.refresh()

      expect(ok).toBe(true)
      expect(catalog.list().map(({ id, name, kind }) => ({ id, name, kind }))).toEqual([
        { id: claude.id, name: 'Anthropic: Claude Sonnet 4', kind: 'chat' },
        { id: embedding.id, name: 'Chat E', kind: 'chat' },
      ])
    },
  )
})

describe('paging', () => {
  test('follows links.next until the last page', async () => {
    const upstream = new FakeUpstream(chatModels, embeddingModels)
    upstream.pageSize = 3
    const { catalog } = await setup(upstream)

    await catalog.refresh()

    expect(ids(catalog.list())).toHaveLength(5)
    expect(upstream.hits.models).toBe(2)
  })
})

describe('a stale copy', () => {
  test('is served at once while exactly one background refresh runs', async () => {
    const { catalog, upstream, clock } = await setup()
    await catalog.start()
    await catalog.whenReady()
    upstream.chat = [changed(claude, { name: 'Claude Sonnet 4 (new)' }), gptMini]
    upstream.hold()
    clock.advance(TTL_MS)

    const during = [1, 2, 3, 4, 5].map(() => catalog.get(claude.id)?.name)
    const listed = ids(catalog.list())
    const searched = catalog.search({ text: 'claude' }).hits.map((hit) => hit.model.name)
    await waitFor(() => upstream.hits.models === 2, 'the refresh to reach the upstream')
    const stillOld = catalog.get(claude.id)?.name
    upstream.release()
    await waitFor(() => catalog.get(claude.id)?.name === 'Claude Sonnet 4 (new)', 'new list')

    expect(during).toEqual(Array(5).fill('Anthropic: Claude Sonnet 4'))
    expect(listed).toHaveLength(5)
    expect(searched).toEqual(['Anthropic: Claude Sonnet 4'])
    expect(stillOld).toBe('Anthropic: Claude Sonnet 4')
    expect(upstream.hits.models).toBe(2)
    expect(ids(catalog.list())).toEqual([
      'anthropic/claude-sonnet-4',
      'openai/gpt-4o-mini',
      'openai/text-embedding-3-small',
    ])
  })

  test('a fresh copy is not fetched again before the TTL', async () => {
    const { catalog, upstream, clock } = await setup()
    await catalog.start()
    await catalog.whenReady()

    clock.advance(TTL_MS - 1)
    catalog.get(claude.id)
    catalog.list()

    expect(upstream.hits.models).toBe(1)
  })
})

describe('a failed refresh', () => {
  test.each(['status', 'not-json', 'no-data'] as const)(
    'on %s keeps serving the old copy, logs once and retries with backoff until it recovers',
    async (failure) => {
      const { catalog, upstream, clock, lines } = await setup()
      await catalog.start()
      await catalog.whenReady()
      upstream.failure = failure
      clock.advance(TTL_MS)

      catalog.get(claude.id)
      await waitFor(() => upstream.hits.models >= 5, 'four retries')
      const during = catalog.get(claude.id)?.name
      const failuresLogged = events(lines, 'catalog_refresh_failed')
      upstream.failure = null
      await waitFor(() => events(lines, 'catalog_refresh_recovered').length === 1, 'recovery')

      expect(during).toBe('Anthropic: Claude Sonnet 4')
      expect(failuresLogged).toHaveLength(1)
      expect(failuresLogged[0]).toMatchObject({ level: 'warn', reason: reasons[failure] })
      expect(events(lines, 'catalog_refresh_failed')).toHaveLength(1)
      expect(ids(catalog.list())).toHaveLength(5)
    },
  )

  test('an empty chat list is a failure, not a reason to drop every model', async () => {
    const { catalog, upstream, lines } = await setup()
    await catalog.start()
    await catalog.whenReady()
    upstream.chat = []

    const ok = await catalog.refresh()

    expect(ok).toBe(false)
    expect(ids(catalog.list())).toHaveLength(5)
    expect(events(lines, 'catalog_refresh_failed')).toEqual([
      expect.objectContaining({ reason: 'body', message: 'upstream listed no models' }),
    ])
  })

  test('an unreachable upstream is one quiet log line, and stop ends the retries', async () => {
    const gone = new FakeUpstream(chatModels)
    await gone.stop()
    const { catalog, lines } = await catalogHarness(gone)

    await catalog.start()
    await waitFor(() => events(lines, 'catalog_refresh_retry_failed').length >= 2, 'retries')
    await catalog.stop()

    expect(events(lines, 'catalog_refresh_failed')).toEqual([
      expect.objectContaining({ level: 'warn', reason: 'network' }),
    ])
    expect(catalog.status()).toMatchObject({ refreshing: false, retryScheduled: false })
    expect(await catalog.refresh()).toBe(false)
    expect(await catalog.whenReady()).toBe(false)
  })

  test('an upstream without an embeddings list has no embedding models', async () => {
    const { catalog, upstream, clock, lines } = await setup()
    await catalog.start()
    await catalog.whenReady()
    upstream.embeddings = 'missing'
    clock.advance(TTL_MS)

    await catalog.refresh()

    expect(catalog.get(embedding.id)).toBeUndefined()
    expect(events(lines, 'catalog_embeddings_failed')).toHaveLength(0)
  })

  test('a failing embeddings list keeps the embedding models we have and logs once', async () => {
    const { catalog, upstream, lines } = await setup()
    await catalog.start()
    await catalog.whenReady()
    upstream.embeddings = 'broken'
    upstream.chat = [claude]

    await catalog.refresh()
    await catalog.refresh()

    expect(ids(catalog.list())).toEqual([claude.id, embedding.id])
    expect(events(lines, 'catalog_embeddings_failed')).toHaveLength(1)
    expect(catalog.status().failures).toBe(0)
  })
})

const reasons = { status: 'status', 'not-json': 'body', 'no-data': 'body' }
