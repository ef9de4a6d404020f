import type { ApiKeyRow } from '../../src/auth/key-index'
import type { UsageRecord } from '../../src/ledger/usage-queries'
import type { PortalContext } from '../../src/portal/context'
import type { UsageTotals } from '../../src/portal/queries/usage-page'
import { UsageTable } from '../components/usage-table'

export interface UsageForm {
  key: string
  model: string
  from: string
  to: string
}

export interface UsageProps {
  ctx: PortalContext
  form: UsageForm
  keys: ApiKeyRow[]
  rows: UsageRecord[]
  /** Query string of the same filters, for the CSV link and paging. */
  filterQuery: string
  nextCursor?: string
  isFirstPage: boolean
}

export function UsagePage(props: UsageProps) {
  const { t } = props.ctx.i18n
  return (
    <>
      <h1 safe>{t('usage.title')}</h1>
      <Filters {...props} />
      <UsageResults {...props} />
    </>
  )
}

function Filters({ ctx, form, keys }: UsageProps) {
  const { t } = ctx.i18n
  return (
    <form
      class="card"
      method="get"
      action="/usage"
      hx-get="/usage"
      hx-target="#usage-results"
      hx-select="#usage-results"
      hx-swap="outerHTML"
    >
      <div class="filters">
        <div>
          <label for="usage-key" safe>
            {t('usage.key')}
          </label>
          <select id="usage-key" name="key">
            <option value="" safe>
              {t('usage.allKeys')}
            </option>
            {keys.map((key) => (
              <option value={key.id} selected={form.key === key.id} translate="no" safe>
                {`${key.name} (${key.prefix})`}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="usage-model" safe>
            {t('usage.model')}
          </label>
          <input
            id="usage-model"
            name="model"
            value={form.model}
            placeholder={t('usage.allModels')}
          />
        </div>
        <div>
          <label for="usage-from" safe>
            {t('usage.from')}
          </label>
          <input id="usage-from" name="from" type="date" value={form.from} />
        </div>
        <div>
          <label for="usage-to" safe>
            {t('usage.to')}
          </label>
          <input id="usage-to" name="to" type="date" value={form.to} />
        </div>
      </div>
      <p>
        <button type="submit" safe>
          {t('common.apply')}
        </button>{' '}
        <a href="/usage" safe>
          {t('common.reset')}
        </a>
      </p>
    </form>
  )
}

function UsageResults(props: UsageProps) {
  const { ctx, rows, filterQuery, nextCursor, isFirstPage } = props
  const { t } = ctx.i18n
  const joiner = filterQuery ? `${filterQuery}&` : ''
  return (
    <div id="usage-results">
      <TotalsLoader ctx={ctx} filterQuery={filterQuery} />
      {rows.length > 0 ? <UsageTable ctx={ctx} rows={rows} /> : <p safe>{t('usage.empty')}</p>}
      <nav class="pager">
        {isFirstPage ? (
          ''
        ) : (
          <a href={`/usage${filterQuery ? `?${filterQuery}` : ''}`} safe>
            {t('usage.newest')}
          </a>
        )}
        {nextCursor ? (
          <a href={`/usage?${joiner}before=${encodeURIComponent(nextCursor)}`} rel="next" safe>
            {t('common.next')}
          </a>
        ) : (
          ''
        )}
      </nav>
    </div>
  )
}

/**
 * Totals add up every matching row, which for a busy account is far more work than one page of
 * the log, so they arrive in a second request once the page is shown.
 */
function TotalsLoader({ ctx, filterQuery }: { ctx: PortalContext; filterQuery: string }) {
  const { t } = ctx.i18n
  const url = `/usage/totals${filterQuery ? `?${filterQuery}` : ''}`
  return (
    <section class="card" id="usage-totals" hx-get={url} hx-trigger="load" hx-swap="outerHTML">
      <h2 safe>{t('usage.totals')}</h2>
      <p class="muted" safe>
        {t('common.loading')}
      </p>
      <noscript>
        <a href={url} safe>
          {t('usage.totals')}
        </a>
      </noscript>
    </section>
  )
}

export function UsageTotalsCard(props: {
  ctx: PortalContext
  totals: UsageTotals
  filterQuery: string
}) {
  const { ctx, totals, filterQuery } = props
  const { t, number, mmk } = ctx.i18n
  const tokens =
    `${t('usage.tokensIn')}: ${number(totals.promptTokens)} · ` +
    `${t('usage.tokensOut')}: ${number(totals.completionTokens)}`
  return (
    <section class="card" id="usage-totals">
      <h2 safe>{t('usage.totals')}</h2>
      <div class="grid">
        <div safe>{`${t('usage.requests')}: ${number(totals.requests)}`}</div>
        <div safe>{tokens}</div>
        <div safe>{`${t('usage.charged')}: ${mmk(totals.chargedUnits, 4)}`}</div>
      </div>
      <p>
        <a
          href={`/usage.csv${filterQuery ? `?${filterQuery}` : ''}`}
          download="sargalay-usage.csv"
          safe
        >
          {t('usage.export')}
        </a>
      </p>
    </section>
  )
}
