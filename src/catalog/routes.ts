import { Elysia } from 'elysia'
import { ApiError, notFound } from '../http/api-error'
import type { Services } from '../services'
import type { Catalog } from './catalog'
import * as s from './schemas'
import { openAiModelDetail } from './view'

const json = { 'content-type': 'application/json' }

/** OpenAI's `/v1/models` and `/v1/models/{id}`, public, served from memory. */
export function catalogRoutes(services: Pick<Services, 'catalog'>) {
  const { catalog } = services

  return new Elysia({ name: 'catalog' })
    .get(
      '/v1/models',
      async () => {
        await requireList(catalog)
        // The body is cached as text and rebuilt only when the list, rate or markup change.
        return new Response(catalog.listJson(), { headers: json })
      },
      {
        response: { 200: s.modelList, 503: s.apiError },
        detail: { summary: 'List the models with their MMK prices', tags: ['models'] },
      },
    )
    .get(
      '/v1/models/*',
      async ({ params }) => {
        await requireList(catalog)
        const id = decodeId(params['*'])
        const entry = id === null ? undefined : catalog.pricedModel(id)
        if (!entry) {
          throw notFound(
            `The model '${id ?? params['*']}' does not exist.`,
            'model_not_found',
            'model',
          )
        }
        return openAiModelDetail(entry)
      },
      {
        response: { 200: s.modelDetail, 404: s.apiError, 503: s.apiError },
        detail: {
          summary: 'Read one model; the id may contain slashes (anthropic/claude-sonnet-4)',
          tags: ['models'],
        },
      },
    )
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

function decodeId(raw: string): string | null {
  try {
    return decodeURIComponent(raw)
  } catch {
    return null
  }
}
