import type { Account } from '../../src/auth/accounts'
import type { CatalogStatus } from '../../src/catalog/catalog'
import type { PriceFactors } from '../../src/ledger/money'
import type { Funds } from '../../src/ledger/types'
import type { PortalContext } from '../../src/portal/context'
import type { MessageKey } from '../../src/portal/i18n'
import type { LedgerRow } from '../../src/portal/queries/admin'
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
  const rows: [string, string][] = [
    [t('admin.database'), health(status.database)],
    [t('admin.ledgerWrites'), health(status.ledgerWrites)],
    [t('admin.upstream'), t(status.demo ? 'admin.demoUpstream' : 'admin.realUpstream')],
    [
      t('nav.models'),
      `${number(status.catalog.models)}${status.catalog.checkedAt ? ` · ${dateTime(status.catalog.checkedAt)}` : ''}`,
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

export interface UserProps {
  ctx: PortalContext
  account: Account
  funds: Funds
  entries: LedgerRow[]
  /** A fresh reference for the adjustment form, so a double submit credits once. */
  reference: string
  message?: { key: MessageKey; kind: 'error' | 'notice'; amount?: string }
  form?: { amount: string; reason: string }
}

/** One user: balance, the adjustment form and the ledger. */
export function UserPage({ ctx, account, funds, entries, reference, message, form }: UserProps) {
  const { t, mmk } = ctx.i18n
  const action = `/console/users/${account.id}/adjust`
  return (
    <>
      <p>
        <a href="/console" safe>
          {t('common.back')}
        </a>
      </p>
      <h1 translate="no" safe>
        {account.name}
      </h1>
      <p class="muted" translate="no" safe>
        {[account.id, account.email, account.githubLogin].filter(Boolean).join(' · ')}
      </p>
      <p>
        <span safe>{`${t('admin.balance')}: `}</span>
        <strong id="user-balance" safe>
          {mmk(funds.balanceUnits)}
        </strong>
      </p>
      <form class="card" method="post" action={action}>
        <h2 safe>{t('admin.adjust')}</h2>
        <FormMessage
          text={
            message
              ? t(message.key, message.amount ? { amount: message.amount } : undefined)
              : undefined
          }
          kind={message?.kind ?? 'notice'}
        />
        <p class="muted" safe>
          {t('admin.adjustHelp')}
        </p>
        <CsrfField ctx={ctx} />
        <input type="hidden" name="reference" value={reference} />
        <label for="amount" safe>
          {t('admin.amount')}
        </label>
        <input
          id="amount"
          name="amount"
          type="number"
          step="any"
          required
          value={form?.amount ?? ''}
        />
        <label for="reason" safe>
          {t('admin.reason')}
        </label>
        <input
          id="reason"
          name="reason"
          required
          minlength="3"
          maxlength="200"
          value={form?.reason ?? ''}
        />
        <p>
          <button type="submit" safe>
            {t('admin.apply')}
          </button>
        </p>
      </form>
      <section class="card">
        <h2 safe>{t('admin.ledger')}</h2>
        {entries.length === 0 ? (
          <p safe>{t('admin.noEntries')}</p>
        ) : (
          <LedgerTable ctx={ctx} entries={entries} />
        )}
      </section>
    </>
  )
}

function reasonText(ctx: PortalContext, reason: string) {
  const known = ['topup', 'charge', 'adjustment', 'refund']
  return known.includes(reason) ? ctx.i18n.t(`admin.reasons.${reason}` as MessageKey) : reason
}

function LedgerTable({ ctx, entries }: { ctx: PortalContext; entries: LedgerRow[] }) {
  const { t, mmk, dateTime } = ctx.i18n
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th safe>{t('admin.entryTime')}</th>
            <th safe>{t('admin.entryReason')}</th>
            <th class="num" safe>
              {t('admin.entryAmount')}
            </th>
            <th class="num" safe>
              {t('admin.entryBalance')}
            </th>
            <th safe>{t('admin.entryNote')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr>
              <td safe>{dateTime(entry.createdAt)}</td>
              <td safe>{reasonText(ctx, entry.reason)}</td>
              <td class="num" safe>
                {mmk(entry.amountUnits, 4)}
              </td>
              <td class="num" safe>
                {mmk(entry.balanceAfterUnits, 4)}
              </td>
              <td translate="no" safe>
                {entry.note ?? ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export function AdminSignInPage({ ctx, error }: { ctx: PortalContext; error?: MessageKey }) {
  const { t } = ctx.i18n
  return (
    <form class="card" method="post" action="/console/signin">
      <h1 safe>{t('admin.adminKeyTitle')}</h1>
      <FormMessage text={error ? t(error) : undefined} kind="error" />
      <p safe>{t('admin.adminKeyHelp')}</p>
      <CsrfField ctx={ctx} />
      <label for="admin-key" safe>
        {t('admin.adminKey')}
      </label>
      <input id="admin-key" name="key" type="password" required autocomplete="off" />
      <p>
        <button type="submit" safe>
          {t('auth.submit')}
        </button>
      </p>
    </form>
  )
}
