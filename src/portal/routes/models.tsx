import { Elysia, t } from 'elysia'
import type { Catalog } from '../../catalog/catalog'
import { pricingInMmk } from '../../catalog/mmk'
import type { ModelSearchQuery } from '../../catalog/search'
import { ModelPage } from '../../../views/pages/model'
import {
  ModelResults,
  ModelsPage,
  type ModelFilters,
  type ModelsProps,
} from '../../../views/pages/models'
import type { PortalContext, PortalDeps } from '../context'
import { errorPage } from '../error-page'
import { portalPlugin } from '../plugin'
import { fragment, page } from '../render'

const RESULT_LIMIT = 50

const filterQuery = t.Object({
  q: t.Optional(t.String({ maxLength: 200 })),
  modality: t.Optional(t.String({ maxLength: 20 })),
  provider: t.Optional(t.String({ maxLength: 100 })),
  context: t.Optional(t.String({ maxLength: 12 })),
  free: t.Optional(t.String({ maxLength: 5 })),
  max: t.Optional(t.String({ maxLength: 20 })),
})

type RawFilters = typeof filterQuery.static

function filtersOf(raw: RawFilters): ModelFilters {
  return {
    q: raw.q ?? '',
    modality: raw.modality ?? '',
    provider: raw.provider ?? '',
    context: raw.context ?? '',
    free: raw.free === '1' || raw.free === 'on',
    max: raw.max ?? '',
  }
}

/** The filter form as a catalog search; a number that does not parse is no filter at all. */
export function searchQuery(filters: ModelFilters): ModelSearchQuery {
  const positive = (text: string) => {
    const value = Number(text)
    return text.trim() !== '' && Number.isFinite(value) && value >= 0 ? value : undefined
  }
  return {
    text: filters.q || undefined,
    inputModality: filters.modality || undefined,
    provider: filters.provider || undefined,
    minContextLength: positive(filters.context),
    maxPricePer1MMmk: positive(filters.max),
    freeOnly: filters.free || undefined,
    sort: filters.q ? 'relevance' : 'price',
    limit: RESULT_LIMIT,
  }
}

function providersOf(catalog: Pick<Catalog, 'priced'>) {
  return [...new Set(catalog.priced().map((entry) => entry.model.provider))].sort()
}

export function modelsRoutes(deps: PortalDeps) {
  const { catalog, pricing } = deps.services

  const propsFor = (ctx: PortalContext, raw: RawFilters): ModelsProps => {
    const filters = filtersOf(raw)
    const { hits, total } = catalog.search(searchQuery(filters))
    return { ctx, filters, providers: providersOf(catalog), hits, total, ready: catalog.ready }
  }

  return new Elysia({ name: 'portal-models' })
    .use(portalPlugin(deps))
    .get(
      '/models',
      ({ portal, query }) =>
        page(
          portal,
          { title: portal.i18n.t('models.title') },
          <ModelsPage {...propsFor(portal, query)} />,
        ),
      { query: filterQuery },
    )
    .get(
      '/models/results',
      ({ portal, query }) => fragment(portal, <ModelResults {...propsFor(portal, query)} />),
      {
        query: filterQuery,
      },
    )
    .get('/models/*', async ({ portal, params }) => {
      const entry = catalog.pricedModel(params['*'])
      if (!entry) return errorPage(portal, 404)
      const factors = pricing.current()
      const points = await catalog.priceHistory(entry.model.id)
      const history = points
        .map((point) => ({
          observedAt: point.observedAt,
          mmk: pricingInMmk(point.pricing, factors),
        }))
        .reverse()
      return page(
        portal,
        { title: entry.model.name },
        <ModelPage ctx={portal} entry={entry} history={history} />,
      )
    })
}
