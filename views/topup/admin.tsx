import type { TopupOrder } from '../../src/payments/orders'
import { creditableByHand } from '../../src/payments/review'
import type { ReviewReason, TopupStatus } from '../../src/payments/states'
import type { PortalContext } from '../../src/portal/context'
import { CsrfField, FormMessage } from '../components/forms'

export interface TopupAdminProps {
  ctx: PortalContext
  queue: TopupOrder[]
  recent: TopupOrder[]
  notice?: string
  error?: string
}

/** The review queue (with a manual credit per order) and the latest orders. */
export function TopupAdminPage({ ctx, queue, recent, notice, error }: TopupAdminProps) {
  const { t } = ctx.i18n
  return (
    <>
      <h1 safe>{t('topup.admin.title')}</h1>
      <FormMessage text={notice} kind="notice" />
      <FormMessage text={error} kind="error" />
      <h2 safe>{t('topup.admin.reviewTitle')}</h2>
      {queue.length === 0 ? (
        <p safe>{t('topup.admin.reviewEmpty')}</p>
      ) : (
        <OrderTable ctx={ctx} orders={queue} withActions />
      )}
      <h2 safe>{t('topup.admin.recentTitle')}</h2>
      <OrderTable ctx={ctx} orders={recent} />
    </>
  )
}

function OrderTable(props: { ctx: PortalContext; orders: TopupOrder[]; withActions?: boolean }) {
  const { t } = props.ctx.i18n
  return (
    <div class="table-wrap">
      <table id={props.withActions ? 'topup-review' : 'topup-recent'}>
        <thead>
          <tr>
            <th safe>{t('topup.orderId')}</th>
            <th safe>{t('topup.admin.account')}</th>
            <th class="num" safe>
              {t('topup.amount')}
            </th>
            <th class="num" safe>
              {t('topup.admin.paid')}
            </th>
            <th safe>{t('topup.state')}</th>
            <th safe>{t('topup.admin.reason')}</th>
            {props.withActions ? <th></th> : ''}
          </tr>
        </thead>
        <tbody>
          {props.orders.map((order) => (
            <OrderRow ctx={props.ctx} order={order} withActions={props.withActions} />
          ))}
        </tbody>
      </table>
    </div>
  )
}

function OrderRow(props: { ctx: PortalContext; order: TopupOrder; withActions?: boolean }) {
  const { ctx, order } = props
  const { t, mmkAmount } = ctx.i18n
  const reason = order.reviewReason?.replace(/^resolved:/, '') as ReviewReason | undefined
  return (
    <tr id={`order-${order.id}`}>
      <td class="mono" translate="no" safe>
        {order.id}
      </td>
      <td class="mono" translate="no" safe>
        {order.accountId}
      </td>
      <td class="num" safe>
        {mmkAmount(order.amountMmk)}
      </td>
      <td class="num" safe>
        {order.paidAmountMmk === null ? '' : mmkAmount(order.paidAmountMmk)}
      </td>
      <td safe>{t(`topup.status.${order.status as TopupStatus}`)}</td>
      <td>{reason ? t(`topup.admin.reasons.${reason}`) : ''}</td>
      {props.withActions ? (
        <td>
          <ReviewActions ctx={ctx} order={order} />
        </td>
      ) : (
        ''
      )}
    </tr>
  )
}

function ReviewActions({ ctx, order }: { ctx: PortalContext; order: TopupOrder }) {
  const { t } = ctx.i18n
  const base = `/console/topups/${order.id}`
  return (
    <>
      {creditableByHand(order) ? <CreditForm ctx={ctx} order={order} /> : ''}
      <form class="inline" method="post" action={`${base}/resolve`}>
        <CsrfField ctx={ctx} />
        <button type="submit" class="secondary" safe>
          {t('topup.admin.resolve')}
        </button>
      </form>
    </>
  )
}

/** Offered only where the credit would be taken: a paid order's money is already there. */
function CreditForm({ ctx, order }: { ctx: PortalContext; order: TopupOrder }) {
  const { t } = ctx.i18n
  return (
    <form class="inline" method="post" action={`/console/topups/${order.id}/credit`}>
      <CsrfField ctx={ctx} />
      <input
        name="amount_mmk"
        inputmode="numeric"
        pattern="[0-9]*"
        value={String(order.paidAmountMmk ?? order.amountMmk)}
        aria-label={t('topup.amount')}
      />
      <input name="note" required maxlength="200" placeholder={t('topup.admin.note')} />
      <button type="submit" safe>
        {t('topup.admin.credit')}
      </button>
    </form>
  )
}
