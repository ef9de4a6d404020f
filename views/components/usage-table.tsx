import type { UsageRecord } from '../../src/ledger/usage-queries'
import type { PortalContext } from '../../src/portal/context'
import { lookup, type MessageKey } from '../../src/portal/i18n'

/** The status of a usage row in words; a status we have no words for is shown as it is. */
function statusText(ctx: PortalContext, status: string) {
  const key = `usage.statuses.${status}`
  return lookup(ctx.lang, key) ? ctx.i18n.t(key as MessageKey) : status
}

/** Requests, newest first: time, model, tokens, what was charged, status. */
export function UsageTable({ ctx, rows }: { ctx: PortalContext; rows: UsageRecord[] }) {
  const { t, number, dateTime, mmk } = ctx.i18n
  return (
    <div class="table-wrap">
      <table>
        <thead>
          <tr>
            <th safe>{t('usage.time')}</th>
            <th safe>{t('usage.model')}</th>
            <th class="num" safe>
              {t('usage.tokensIn')}
            </th>
            <th class="num" safe>
              {t('usage.tokensOut')}
            </th>
            <th class="num" safe>
              {t('usage.charged')}
            </th>
            <th safe>{t('usage.status')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr>
              <td safe>{dateTime(row.createdAt)}</td>
              <td translate="no" safe>
                {row.model}
              </td>
              <td class="num" safe>
                {number(row.promptTokens)}
              </td>
              <td class="num" safe>
                {number(row.completionTokens)}
              </td>
              <td class="num" safe>
                {mmk(row.chargedUnits, 4)}
              </td>
              <td safe>{statusText(ctx, row.status)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
