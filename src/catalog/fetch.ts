import type { UpstreamTarget } from '../services'
import type { ModelKind } from './types'
import { toCatalogModel, type FetchedModel } from './upstream-model'

export type FetchFailure = 'network' | 'timeout' | 'status' | 'body'

/** Why a fetch of the model list failed, told apart so the log says what to fix. */
export class CatalogFetchError extends Error {
  constructor(
    readonly reason: FetchFailure,
    message: string,
    readonly status?: number,
  ) {
    super(message)
  }
}

export interface FetchOptions {
  timeoutMs: number
  signal: AbortSignal
}

export interface FetchedCatalog {
  /** Chat and embedding models, sorted by id, each id once. */
  models: FetchedModel[]
  /** Set when the embeddings list failed; `models` then holds no embedding model. */
  embeddingsError: CatalogFetchError | null
}

/**
 * Both lists. The chat list must succeed with at least one model; an upstream without an
 * embeddings list (404) simply has no embedding models, and any other embeddings failure is
 * reported beside the chat list.
 */
export async function fetchCatalog(
  upstream: UpstreamTarget,
  options: FetchOptions,
): Promise<FetchedCatalog> {
  const [chat, embeddings] = await Promise.allSettled([
    fetchModelList(upstream, '/models', 'chat', options),
    fetchModelList(upstream, '/embeddings/models', 'embedding', options),
  ])
  if (chat.status === 'rejected') throw chat.reason
  // An upstream with no chat model at all is broken, not empty; never wipe the list for it.
  if (chat.value.length === 0) throw new CatalogFetchError('body', 'upstream listed no models')

  let embeddingsError: CatalogFetchError | null = null
  let extra: FetchedModel[] = []
  if (embeddings.status === 'fulfilled') extra = embeddings.value
  else if (!(embeddings.reason instanceof CatalogFetchError)) throw embeddings.reason
  else if (embeddings.reason.status !== 404) embeddingsError = embeddings.reason
  return { models: mergeLists(chat.value, extra), embeddingsError }
}

/** One list sorted by id with each id once: the first listing of an id wins. */
export function mergeLists(...lists: FetchedModel[][]): FetchedModel[] {
  const byId = new Map<string, FetchedModel>()
  for (const fetched of lists.flat()) {
    if (!byId.has(fetched.model.id)) byId.set(fetched.model.id, fetched)
  }
  return [...byId.values()].sort((a, b) => (a.model.id < b.model.id ? -1 : 1))
}

// OpenRouter answers the whole list on one page; the cap only guards against a `next` loop.
const MAX_PAGES = 20

/** Fetches one model list (`/models` or `/embeddings/models`), following `links.next`. */
export async function fetchModelList(
  upstream: UpstreamTarget,
  path: string,
  kind: ModelKind,
  options: FetchOptions,
): Promise<FetchedModel[]> {
  const models: FetchedModel[] = []
  let url: string | null = `${upstream.baseUrl}${path}`

  for (let page = 0; url && page < MAX_PAGES; page++) {
    const body = await fetchJson(url, upstream.apiKey, options)
    for (const item of body.data) {
      const fetched = toCatalogModel(item, kind)
      if (fetched) models.push(fetched)
    }
    url = body.next ? new URL(body.next, url).toString() : null
  }
  return models
}

async function fetchJson(url: string, apiKey: string | undefined, options: FetchOptions) {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (apiKey) headers.authorization = `Bearer ${apiKey}`
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)])

  let response: Response
  try {
    response = await fetch(url, { headers, signal })
  } catch (error) {
    throw networkError(error)
  }
  if (!response.ok) {
    await response.body?.cancel()
    throw new CatalogFetchError('status', `upstream answered ${response.status}`, response.status)
  }

  let body: unknown
  try {
    body = await response.json()
  } catch (error) {
    if (signal.aborted) throw networkError(error)
    throw new CatalogFetchError('body', 'upstream body is not JSON')
  }
  return readEnvelope(body)
}

function networkError(error: unknown) {
  const name = error instanceof Error ? error.name : ''
  if (name === 'TimeoutError') return new CatalogFetchError('timeout', 'upstream did not answer')
  const message = error instanceof Error ? error.message : String(error)
  return new CatalogFetchError('network', message)
}

function readEnvelope(body: unknown): { data: unknown[]; next: string | null } {
  const envelope = body as { data?: unknown; links?: { next?: unknown } } | null
  if (!envelope || typeof envelope !== 'object' || !Array.isArray(envelope.data)) {
    throw new CatalogFetchError('body', 'upstream body has no data array')
  }
  const next = envelope.links?.next
  return { data: envelope.data, next: typeof next === 'string' && next !== '' ? next : null }
}
