import type { UsageRecord } from '../../src/ledger/usage-queries'
import type { Funds } from '../../src/ledger/types'
import type { PortalContext } from '../../src/portal/context'
import type { DaySpend } from '../../src/portal/queries/spend'
import { SpendChart } from '../components/spend-chart'
import { UsageTable } from '../components/usage-table'

export interface DashboardProps {
  ctx: PortalContext
  funds: Funds
  recent: UsageRecord[]
}

/** Balance, what is available now, 30 days of spending and the latest requests. */
export function DashboardPage({ ctx, funds, recent }: DashboardProps) {
  const { t, mmk } = ctx.i18n
  return (
    <>
      <h1 safe>{t('dashboard.title')}</h1>
      <div class="grid two">
        <section class="card">
          <div class="muted" safe>
            {t('dashboard.balance')}
          </div>
          <div class="stat" id="balance" safe>
            {mmk(funds.balanceUnits)}
          </div>
          <a href="/topup" safe>
            {t('dashboard.topup')}
          </a>
        </section>
        <section class="card">
          <div class="muted" safe>
            {t('dashboard.available')}
          </div>
          <div class="stat" safe>
            {mmk(funds.availableUnits)}
          </div>
          {funds.heldUnits > 0 ? (
            <div class="muted" safe>
              {`${t('dashboard.held')}: ${mmk(funds.heldUnits)}`}
            </div>
          ) : (
            ''
          )}
        </section>
      </div>
      <SpendLoader ctx={ctx} />
      <section class="card">
        <h2 safe>{t('dashboard.recent')}</h2>
        {recent.length > 0 ? <UsageTable ctx={ctx} rows={recent} /> : <NoRequests ctx={ctx} />}
      </section>
    </>
  )
}

function NoRequests({ ctx }: { ctx: PortalContext }) {
  const { t } = ctx.i18n
  return (
    <p>
      <span safe>{t('dashboard.noRequests')}</span>{' '}
      <a href="/keys" safe>
        {t('dashboard.createKey')}
      </a>
    </p>
  )
}

/**
 * Thirty days of a busy account are many rows to add up, so the chart arrives in a second
 * request and the balance shows at once.
 */
function SpendLoader({ ctx }: { ctx: PortalContext }) {
  const { t } = ctx.i18n
  return (
    <section
      class="card"
      id="spend"
      hx-get="/dashboard/spend"
      hx-trigger="load"
      hx-swap="outerHTML"
    >
      <h2 safe>{t('dashboard.spend30')}</h2>
      <p class="muted" safe>
        {t('common.loading')}
      </p>
      <noscript>
        <a href="/dashboard/spend" safe>
          {t('dashboard.spend30')}
        </a>
      </noscript>
    </section>
  )
}

/** The 30-day total and the daily chart. */
export function SpendCard({ ctx, days }: { ctx: PortalContext; days: DaySpend[] }) {
  const { t, mmk } = ctx.i18n
  const total = days.reduce((sum, day) => sum + day.chargedUnits, 0)
  return (
    <section class="card" id="spend">
      <h2 safe>{t('dashboard.spend30')}</h2>
      <div class="stat" safe>
        {mmk(total)}
      </div>
      <SpendChart ctx={ctx} days={days} />
    </section>
  )
}
