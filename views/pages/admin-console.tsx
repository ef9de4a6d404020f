import type { Account } from '../../src/auth/accounts'
import type { CatalogStatus } from '../../src/catalog/catalog'
import type { PriceFactors } from '../../src/ledger/money'
import type { PortalContext } from '../../src/portal/context'
import type { MessageKey } from '../../src/portal/i18n'
import { CsrfField, FormMessage } from '../components/forms'

export interface SystemStatus {
  database: boolean
  ledgerWrites: boolean
  demo: boolean
  catalog: CatalogStatus
  openHolds: number
  accounts: number
  liveKeys: number
}

export interface ConsoleProps {
  ctx: PortalContext
  q: string
  users: { account: Account; balanceUnits: number }[]
  factors: PriceFactors
  status: SystemStatus
  pricingMessage?: { key: MessageKey; kind: 'error' | 'notice' }
}

/** The admin home: find a user, set the rate and markup, see how the system is. */
export function ConsolePage(props: ConsoleProps) {
  const { t } = props.ctx.i18n
  return (
    <>
      <h1 safe>{t('admin.title')}</h1>
      <UserSearch {...props} />
      <div class="grid two">
        <PricingForm {...props} />
        <StatusCard ctx={props.ctx} status={props.status} />
      </div>
    </>
  )
}

function UserSearch({ ctx, q, users }: ConsoleProps) {
  const { t, mmk, date } = ctx.i18n
  return (
    <section class="card">
      <h2 safe>{t('admin.users')}</h2>
      <form
        method="get"
        action="/console"
        role="search"
        hx-get="/console"
        hx-trigger="input changed delay:300ms, submit"
        hx-target="#user-results"
        hx-select="#user-results"
        hx-swap="outerHTML"
      >
        <label for="user-q" safe>
          {t('admin.searchUsers')}
        </label>
        <input id="user-q" name="q" type="search" value={q} autocomplete="off" />
      </form>
      <div id="user-results" class="table-wrap">
        {users.length === 0 ? <p safe>{t('admin.noUsers')}</p> : ''}
        {users.length > 0 ? (
          <table>
            <thead>
              <tr>
                <th safe>{t('admin.name')}</th>
                <th safe>{t('admin.github')}</th>
                <th class="num" safe>
                  {t('admin.balance')}
                </th>
                <th safe>{t('admin.joined')}</th>
              </tr>
            </thead>
            <tbody>
              {users.map(({ account, balanceUnits }) => (
                <tr>
                  <td translate="no">
                    <a href={`/console/users/${account.id}`} safe>
                      {account.name}
                    </a>
                    <div class="muted" safe>
                      {account.email ?? ''}
                    </div>
                  </td>
                  <td translate="no" safe>
                    {account.githubLogin ?? ''}
                  </td>
                  <td class="num" safe>
                    {mmk(balanceUnits)}
                  </td>
                  <td safe>{date(account.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          ''
        )}
      </div>
    </section>
  )
}

function PricingForm({ ctx, factors, pricingMessage }: ConsoleProps) {
  const { t } = ctx.i18n
  return (
    <form class="card" method="post" action="/console/pricing">
      <h2 safe>{t('admin.pricing')}</h2>
      <FormMessage
        text={pricingMessage ? t(pricingMessage.key) : undefined}
        kind={pricingMessage?.kind ?? 'notice'}
      />
      <CsrfField ctx={ctx} />
      <label for="rate" safe>
        {t('admin.rate')}
      </label>
      <input
        id="rate"
        name="rate"
        type="number"
        step="any"
        min="0"
        value={String(factors.usdToMmkRate)}
        required
      />
      <label for="markup" safe>
        {t('admin.markup')}
      </label>
      <input
        id="markup"
        name="markup"
        type="number"
        step="any"
        min="1"
        value={String(factors.priceMarkup)}
        required
      />
      <p>
        <button type="submit" safe>
          {t('common.save')}
        </button>
      </p>
    </form>
  )
}

function StatusCard({ ctx, status }: { ctx: PortalContext; status: SystemStatus }) {
  const { t, number, dateTime } = ctx.i18n
  const health = (ok: boolean) => t(ok ? 'admin.ok' : 'admin.failing')
  const { checkedAt } = status.catalog
  const rows: [string, string][] = [
    [t('admin.database'), health(status.database)],
    [t('admin.ledgerWrites'), health(status.ledgerWrites)],
    [t('admin.upstream'), t(status.demo ? 'admin.demoUpstream' : 'admin.realUpstream')],
    [
      t('nav.models'),
      `${number(status.catalog.models)}${checkedAt ? ` · ${dateTime(checkedAt)}` : ''}`,
    ],
    [t('admin.openHolds'), number(status.openHolds)],
    [t('admin.accounts'), number(status.accounts)],
    [t('admin.liveKeys'), number(status.liveKeys)],
  ]
  return (
    <section class="card">
      <h2 safe>{t('admin.status')}</h2>
      <table>
        <tbody>
          {rows.map(([label, value]) => (
            <tr>
              <th safe>{label}</th>
              <td safe>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
