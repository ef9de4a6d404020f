import type { ModelSearchHit } from '../../src/catalog/search'
import type { PortalContext } from '../../src/portal/context'
import type { MessageKey } from '../../src/portal/i18n'
import { PriceCells } from '../components/price'

export interface ModelFilters {
  q: string
  modality: string
  provider: string
  context: string
  free: boolean
  max: string
}

export const modalities = ['text', 'image', 'audio', 'file', 'video'] as const

export interface ModelsProps {
  ctx: PortalContext
  filters: ModelFilters
  providers: string[]
  hits: ModelSearchHit[]
  total: number
  ready: boolean
}

export function ModelsPage(props: ModelsProps) {
  const { t } = props.ctx.i18n
  return (
    <>
      <h1 safe>{t('models.title')}</h1>
      <p class="muted" safe>
        {t('models.intro')}
      </p>
      <FilterForm {...props} />
      <ModelResults {...props} />
    </>
  )
}

/** Live search: any change re-asks `/models/results` and swaps only the list. */
function FilterForm({ ctx, filters, providers }: ModelsProps) {
  const { t } = ctx.i18n
  const contexts = [8_000, 32_000, 128_000, 200_000, 1_000_000]
  return (
    <form
      class="card"
      method="get"
      action="/models"
      role="search"
      hx-get="/models/results"
      hx-trigger="input changed delay:250ms, change"
      hx-target="#model-results"
      hx-swap="outerHTML"
    >
      <label for="model-q" safe>
        {t('models.searchLabel')}
      </label>
      <input
        id="model-q"
        name="q"
        type="search"
        value={filters.q}
        placeholder={t('models.searchPlaceholder')}
        autocomplete="off"
      />
      <div class="filters">
        <div>
          <label for="model-modality" safe>
            {t('models.modality')}
          </label>
          <select id="model-modality" name="modality">
            <option value="" safe>
              {t('common.any')}
            </option>
            {modalities.map((m) => (
              <option value={m} selected={filters.modality === m} safe>
                {t(`models.modalities.${m}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="model-provider" safe>
            {t('models.provider')}
          </label>
          <select id="model-provider" name="provider" translate="no">
            <option value="" safe>
              {t('common.any')}
            </option>
            {providers.map((p) => (
              <option value={p} selected={filters.provider === p} safe>
                {p}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="model-context" safe>
            {t('models.minContext')}
          </label>
          <select id="model-context" name="context">
            <option value="" safe>
              {t('common.any')}
            </option>
            {contexts.map((c) => (
              <option value={String(c)} selected={filters.context === String(c)} safe>
                {t('models.tokens', { count: c })}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="model-max" safe>
            {t('models.maxPrice')}
          </label>
          <input id="model-max" name="max" type="number" min="0" step="any" value={filters.max} />
        </div>
        <div>
          <label class="check">
            <input type="checkbox" name="free" value="1" checked={filters.free} />
            <span safe>{t('models.freeOnly')}</span>
          </label>
        </div>
      </div>
      <noscript>
        <button type="submit" safe>
          {t('common.search')}
        </button>
      </noscript>
    </form>
  )
}

export function ModelResults({ ctx, hits, total, ready }: ModelsProps) {
  const { t, number } = ctx.i18n
  if (!ready) {
    return (
      <div id="model-results" aria-live="polite">
        <p safe>{t('models.unavailable')}</p>
      </div>
    )
  }
  return (
    <div id="model-results" aria-live="polite">
      <p class="muted" safe>
        {t('models.count', { count: total })}
      </p>
      {hits.length === 0 ? <p safe>{t('models.noResults')}</p> : ''}
      {hits.length > 0 ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th safe>{t('usage.model')}</th>
                <th class="num" safe>
                  {t('models.input')}
                </th>
                <th class="num" safe>
                  {t('models.output')}
                </th>
                <th class="num" safe>
                  {t('models.context')}
                </th>
              </tr>
            </thead>
            <tbody>
              {hits.map((hit) => (
                <tr>
                  <td translate="no">
                    <a href={`/models/${hit.model.id}`} safe>
                      {hit.model.name}
                    </a>
                    <div class="muted mono" safe>
                      {hit.model.id}
                    </div>
                  </td>
                  <PriceCells ctx={ctx} mmk={hit.pricingMmk} />
                  <td class="num" safe>
                    {hit.model.contextLength
                      ? number(hit.model.contextLength)
                      : t('common.unknown')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        ''
      )}
      {total > hits.length ? (
        <p class="muted" safe>{`${number(hits.length)} / ${number(total)}`}</p>
      ) : (
        ''
      )}
    </div>
  )
}
