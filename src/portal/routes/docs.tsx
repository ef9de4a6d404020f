import { Elysia } from 'elysia'
import { publicBaseUrl } from '../../config'
import { DocsPage } from '../../../views/pages/docs'
import type { PortalDeps } from '../context'
import { portalPlugin } from '../plugin'
import { page } from '../render'
import { priceTeaser } from './landing'

const FALLBACK_MODEL = 'openai/gpt-4o-mini'

export function docsRoutes(deps: PortalDeps) {
  const { config, catalog } = deps.services
  return new Elysia({ name: 'portal-docs' }).use(portalPlugin(deps)).get('/guide', ({ portal }) => {
    const model =
      catalog.get(FALLBACK_MODEL)?.id ?? priceTeaser(catalog)[0]?.model.id ?? FALLBACK_MODEL
    const baseUrl = `${publicBaseUrl(config)}/v1`
    return page(
      portal,
      { title: portal.i18n.t('docs.title') },
      <DocsPage ctx={portal} baseUrl={baseUrl} model={model} />,
    )
  })
}
