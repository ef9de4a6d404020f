import type { PricedModel } from '../../src/catalog/view'
import type { PortalContext } from '../../src/portal/context'
import { PriceCells } from '../components/price'

/** The front page: what Sargalay is, how paying works, and a few live prices. */
export function LandingPage({ ctx, teaser }: { ctx: PortalContext; teaser: PricedModel[] }) {
  const { t } = ctx.i18n
  const start = ctx.account ? '/dashboard' : '/signin'
  return (
    <>
      <section>
        <h1 safe>{t('landing.title')}</h1>
        <p safe>{t('landing.lead')}</p>
        <p>
          <a class="btn" href={start} safe>
            {t('landing.start')}
          </a>{' '}
          <a class="btn secondary" href="/models" safe>
            {t('landing.browse')}
          </a>
        </p>
      </section>
      <div class="grid two">
        <section class="card">
          <h2 safe>{t('landing.howTitle')}</h2>
          <ol>
            <li safe>{t('landing.how1')}</li>
            <li safe>{t('landing.how2')}</li>
            <li safe>{t('landing.how3')}</li>
          </ol>
        </section>
        <section class="card">
          <h2 safe>{t('landing.billingTitle')}</h2>
          <p safe>{t('landing.billing')}</p>
        </section>
      </div>
      {teaser.length > 0 ? <PriceTeaser ctx={ctx} teaser={teaser} /> : ''}
    </>
  )
}

function PriceTeaser({ ctx, teaser }: { ctx: PortalContext; teaser: PricedModel[] }) {
  const { t } = ctx.i18n
  return (
    <section class="card">
      <h2 safe>{t('landing.pricesTitle')}</h2>
      <p class="muted" safe>
        {t('landing.pricesNote')}
      </p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th safe>{t('usage.model')}</th>
              <th class="num" safe>
                {t('landing.input')}
              </th>
              <th class="num" safe>
                {t('landing.output')}
              </th>
            </tr>
          </thead>
          <tbody>
            {teaser.map((entry) => (
              <tr>
                <td translate="no">
                  <a href={`/models/${entry.model.id}`} safe>
                    {entry.model.name}
                  </a>
                </td>
                <PriceCells ctx={ctx} mmk={entry.mmk} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}
