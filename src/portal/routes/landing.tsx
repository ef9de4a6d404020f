import { Elysia } from 'elysia'
import type { Catalog } from '../../catalog/catalog'
import type { PricedModel } from '../../catalog/view'
import { LandingPage } from '../../../views/pages/landing'
import type { PortalDeps } from '../context'
import { portalPlugin } from '../plugin'
import { page } from '../render'

const teaserProviders = ['openai', 'anthropic', 'google', 'deepseek', 'meta-llama', 'mistralai']

/** The newest priced chat model of a few well-known providers, from memory. */
export function priceTeaser(catalog: Pick<Catalog, 'priced'>): PricedModel[] {
  const newest = new Map<string, PricedModel>()
  for (const entry of catalog.priced()) {
    const { model } = entry
    if (model.kind !== 'chat' || !teaserProviders.includes(model.provider)) continue
    if (!Number.isFinite(entry.pricePer1M) || entry.free) continue
    const seen = newest.get(model.provider)
    if (!seen || (model.created ?? 0) > (seen.model.created ?? 0)) newest.set(model.provider, entry)
  }
  return teaserProviders.flatMap((provider) => newest.get(provider) ?? [])
}

export function landingRoutes(deps: PortalDeps) {
  const { catalog } = deps.services
  return new Elysia({ name: 'portal-landing' })
    .use(portalPlugin(deps))
    .get('/', ({ portal }) =>
      page(
        portal,
        { title: portal.i18n.t('common.tagline') },
        <LandingPage ctx={portal} teaser={priceTeaser(catalog)} />,
      ),
    )
}
