import type { MmkPricing } from '../../src/catalog/mmk'
import type { PricedModel } from '../../src/catalog/view'
import type { PortalContext } from '../../src/portal/context'
import type { MessageKey } from '../../src/portal/i18n'
import { Price, PriceCells } from '../components/price'

export interface ModelPageProps {
  ctx: PortalContext
  entry: PricedModel
  /** Earlier prices, newest first, in kyat at today's rate and markup. */
  history: { observedAt: number; mmk: MmkPricing }[]
}

/** One model: what it is, its prices in kyat, context length and price history. */
export function ModelPage({ ctx, entry, history }: ModelPageProps) {
  const { t, number } = ctx.i18n
  const { model } = entry
  const modalities = model.inputModalities.map((m) => modalityName(ctx, m)).join(', ')
  return (
    <>
      <h1 translate="no" safe>
        {model.name}
      </h1>
      <p class="mono" translate="no" safe>
        {model.id}
      </p>
      <p translate="no" safe>
        {model.description}
      </p>
      <div class="grid">
        <section class="card">
          <div class="muted" safe>
            {`${t('models.input')} (${t('models.perMillion')})`}
          </div>
          <div class="stat">
            <Price ctx={ctx} mmk={entry.mmk.promptPer1M} />
          </div>
        </section>
        <section class="card">
          <div class="muted" safe>
            {`${t('models.output')} (${t('models.perMillion')})`}
          </div>
          <div class="stat">
            <Price ctx={ctx} mmk={entry.mmk.completionPer1M} />
          </div>
        </section>
        <section class="card">
          <div class="muted" safe>
            {t('models.context')}
          </div>
          <div class="stat" safe>
            {model.contextLength
              ? t('models.tokens', { count: model.contextLength })
              : t('common.unknown')}
          </div>
        </section>
      </div>
      <p safe>{`${t('models.modality')}: ${modalities}`}</p>
      <section class="card">
        <h2 safe>{t('models.priceHistory')}</h2>
        {history.length === 0 ? (
          <p safe>{t('models.noHistory')}</p>
        ) : (
          <History ctx={ctx} history={history} />
        )}
      </section>
      <p>
        <a class="btn" href="/guide" safe>
          {t('models.useIt')}
        </a>{' '}
        <a href="/models" safe>
          {t('common.back')}
        </a>
      </p>
    </>
  )
}

function modalityName(ctx: PortalContext, modality: string) {
  const known = ['text', 'image', 'audio', 'file', 'video']
  return known.includes(modality)
    ? ctx.i18n.t(`models.modalities.${modality}` as MessageKey)
    : modality
}

function History({ ctx, history }: Pick<ModelPageProps, 'ctx' | 'history'>) {
  const { t, dateTime } = ctx.i18n
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th safe>{t('models.observedAt')}</th>
            <th class="num" safe>
              {t('models.input')}
            </th>
            <th class="num" safe>
              {t('models.output')}
            </th>
          </tr>
        </thead>
        <tbody>
          {history.map((point) => (
            <tr>
              <td safe>{dateTime(point.observedAt)}</td>
              <PriceCells ctx={ctx} mmk={point.mmk} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
