import type { TopupOrder } from '../../src/payments/orders'
import type { TopupStatus } from '../../src/payments/states'
import type { PortalContext } from '../../src/portal/context'
import type { MessageKey } from '../../src/portal/i18n'
import { CsrfField, FormMessage } from '../components/forms'

export const presetsMmk = [5_000, 10_000, 20_000, 50_000]

export interface TopupPageProps {
  ctx: PortalContext
  balanceUnits: number
  history: TopupOrder[]
  limits: { minMmk: number; maxMmk: number }
  /** Sent back with the form, so a double click makes one order. */
  idempotencyKey: string
  error?: MessageKey
}

/** The amount form and the account's past top-ups. */
export function TopupPage(props: TopupPageProps) {
  const { t, mmk } = props.ctx.i18n
  return (
    <>
      <h1 safe>{t('topup.title')}</h1>
      <p safe>{t('topup.intro')}</p>
      <p class="muted" id="balance" safe>
        {t('topup.balance', { amount: mmk(props.balanceUnits) })}
      </p>
      <AmountForm {...props} />
      <History ctx={props.ctx} orders={props.history} />
    </>
  )
}

function AmountForm({ ctx, limits, idempotencyKey, error }: TopupPageProps) {
  const { t, mmkAmount } = ctx.i18n
  const range = { min: mmkAmount(limits.minMmk), max: mmkAmount(limits.maxMmk) }
  return (
    <form class="card" method="post" action="/topup" id="topup-form">
      <CsrfField ctx={ctx} />
      <input type="hidden" name="idempotency_key" value={idempotencyKey} />
      <FormMessage text={error ? t(error, range) : undefined} kind="error" />
      <fieldset>
        <legend safe>{t('topup.presets')}</legend>
        {presetsMmk
          .filter((amount) => amount >= limits.minMmk && amount <= limits.maxMmk)
          .map((amount) => (
            <label class="check">
              <input type="radio" name="preset" value={String(amount)} />
              <span safe>{mmkAmount(amount)}</span>
            </label>
          ))}
      </fieldset>
      <label for="topup-custom" safe>
        {t('topup.custom')}
      </label>
      <input
        id="topup-custom"
        name="custom"
        inputmode="numeric"
        pattern="[0-9]*"
        min={String(limits.minMmk)}
        max={String(limits.maxMmk)}
      />
      <p class="muted" safe>
        {t('topup.customHint', range)}
      </p>
      <p>
        <button type="submit" safe>
          {t('topup.submit')}
        </button>
      </p>
    </form>
  )
}

function History({ ctx, orders }: { ctx: PortalContext; orders: TopupOrder[] }) {
  const { t, mmkAmount, dateTime } = ctx.i18n
  if (orders.length === 0) return <p safe>{t('topup.historyEmpty')}</p>
  return (
    <section>
      <h2 safe>{t('topup.historyTitle')}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th safe>{t('topup.date')}</th>
              <th class="num" safe>
                {t('topup.amount')}
              </th>
              <th safe>{t('topup.state')}</th>
              <th safe>{t('topup.wallet')}</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((order) => (
              <tr>
                <td>
                  <a href={`/topup/${order.id}`} safe>
                    {dateTime(order.createdAt)}
                  </a>
                </td>
                <td class="num" safe>
                  {mmkAmount(order.amountMmk)}
                </td>
                <td safe>{t(`topup.status.${order.status as TopupStatus}`)}</td>
                <td translate="no" safe>
                  {order.wallet ?? ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}
