import type { Account } from '../../src/auth/accounts'
import type { Funds } from '../../src/ledger/types'
import type { PortalContext } from '../../src/portal/context'
import type { MessageKey } from '../../src/portal/i18n'
import type { LedgerRow } from '../../src/portal/queries/admin'
import { CsrfField, FormMessage } from '../components/forms'

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
