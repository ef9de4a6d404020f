import type { TopupOrder } from '../../src/payments/orders'
import type { TopupStatus } from '../../src/payments/states'
import type { PortalContext } from '../../src/portal/context'
import type { MessageKey } from '../../src/portal/i18n'

export interface StatusProps {
  ctx: PortalContext
  order: TopupOrder
  balanceUnits: number
  now: number
}

const notices: Partial<Record<TopupStatus, MessageKey>> = {
  PAID_LATE: 'topup.lateNotice',
  EXPIRED: 'topup.expiredNotice',
  FAILED: 'topup.failedNotice',
  FAILED_TO_CREATE: 'topup.failedNotice',
  CANCELLED: 'topup.cancelledNotice',
  REFUNDED: 'topup.refundedNotice',
}

/**
 * The live status of one order. While it waits, it asks again every 3 seconds (and shows the
 * time left); once settled it drops the trigger, so polling stops by itself.
 */
export function OrderStatus({ ctx, order, balanceUnits, now }: StatusProps) {
  const { t } = ctx.i18n
  const status = order.status as TopupStatus
  const waiting = status === 'PENDING' || status === 'CREATING'
  const poll = waiting
    ? {
        'hx-get': `/topup/${order.id}/status`,
        'hx-trigger': 'every 3s',
        'hx-swap': 'outerHTML',
      }
    : {}
  return (
    <section class="card" id="topup-status" data-status={status} role="status" {...poll}>
      <h2 safe>{t(`topup.status.${status}`)}</h2>
      {waiting ? <Waiting ctx={ctx} order={order} now={now} /> : ''}
      {status === 'PAID' || status === 'PAID_LATE' ? (
        <Paid ctx={ctx} order={order} balanceUnits={balanceUnits} />
      ) : (
        ''
      )}
      {notices[status] ? <p safe>{t(notices[status])}</p> : ''}
      {waiting ? (
        ''
      ) : (
        <a href="/topup" safe>
          {t('topup.again')}
        </a>
      )}
    </section>
  )
}

function Waiting({ ctx, order, now }: { ctx: PortalContext; order: TopupOrder; now: number }) {
  const { t } = ctx.i18n
  const left = Math.max(0, Math.ceil((order.expiresAt - now) / 1000))
  return (
    <>
      <p safe>{t('topup.waiting')}</p>
      <p class="muted" id="topup-countdown" safe>
        {t('topup.expiresIn', { minutes: Math.floor(left / 60), seconds: left % 60 })}
      </p>
    </>
  )
}

function Paid(props: { ctx: PortalContext; order: TopupOrder; balanceUnits: number }) {
  const { t, mmk, mmkAmount } = props.ctx.i18n
  return (
    <>
      {props.order.status === 'PAID' ? (
        <p class="notice" safe>
          {t('topup.paidNotice', { amount: mmkAmount(props.order.amountMmk) })}
        </p>
      ) : (
        ''
      )}
      <p class="stat" id="topup-balance" safe>
        {t('topup.newBalance', { amount: mmk(props.balanceUnits) })}
      </p>
    </>
  )
}
