import { Elysia, t } from 'elysia'
import { keyIfSent } from '../auth/bearer'
import { ApiError, notFound } from '../http/api-error'
import type { Services } from '../services'
import type { Catalog } from './catalog'
import * as s from './schemas'
import { openAiModelDetail } from './view'

const json = { 'content-type': 'application/json' }

const modelIdParam = t.Object({
  id: t.String({ description: 'A model id; its slash may be sent as is or as %2F' }),
})

const readOne = {
  response: { 200: s.modelDetail, 401: s.apiError, 404: s.apiError, 503: s.apiError },
  detail: { summary: 'Read one model with its MMK prices', tags: ['models'] },
}

/**
 * OpenAI's `/v1/models` and `/v1/models/{id}`, served from memory. Public, but a key that is
 * sent must be live: SDKs list models to check a key, and a revoked one must not pass.
 */
export function catalogRoutes(services: Pick<Services, 'catalog' | 'keys'>) {
  const { catalog, keys } = services

  const readModel = async (id: string) => {
    await requireList(catalog)
    const entry = catalog.pricedModel(id)
    if (!entry) {
      throw notFound(`The model '${id}' does not exist.`, 'model_not_found', 'model')
    }
    return openAiModelDetail(entry)
  }

  return new Elysia({ name: 'catalog' })
    .onBeforeHandle(function refuseDeadKey({ request }) {
      keyIfSent(keys, request)
    })
    .get(
      '/v1/models',
      async () => {
        await requireList(catalog)
        // The body is cached as text and rebuilt only when the list, rate or markup change.
        return new Response(catalog.listJson(), { headers: json })
      },
      {
        response: { 200: s.modelList, 401: s.apiError, 503: s.apiError },
        detail: { summary: 'List the models with their MMK prices', tags: ['models'] },
      },
    )
    .get('/v1/models/:id', ({ params }) => readModel(params.id), {
      params: modelIdParam,
      ...readOne,
    })
    .get('/v1/models/*', ({ params }) => readModel(decodeId(params['*'])), {
      ...readOne,
      // Ids like anthropic/claude-sonnet-4 span two path segments; `{id}` documents both.
      detail: { ...readOne.detail, hide: true },
    })
}

/** On a cold start, waits for the first list; without one, the client should retry. */
async function requireList(catalog: Catalog) {
  if (catalog.ready || (await catalog.whenReady())) return
  throw new ApiError(
    503,
    'service_unavailable_error',
    'catalog_unavailable',
    'The model list is not available yet. Please retry shortly.',
  )
}

/** Elysia leaves a wildcard encoded; a malformed escape stays as sent and matches nothing. */
function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}
