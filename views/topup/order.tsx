import type { TopupOrder } from '../../src/payments/orders'
import { wallets } from '../../src/payments/types'
import type { PortalContext } from '../../src/portal/context'
import { CopyButton, CsrfField } from '../components/forms'
import { OrderStatus } from './status'

export interface OrderPageProps {
  ctx: PortalContext
  order: TopupOrder
  /** The QR as SVG markup drawn by us, only while the order can be paid. */
  qrSvg?: string
  balanceUnits: number
  now: number
  sandbox: boolean
}

/**
 * One order: while it can be paid, the MMQR code, who can pay it and the sandbox wallet; its
 * live status throughout.
 */
export function OrderPage(props: OrderPageProps) {
  const { ctx, order, qrSvg } = props
  const { t, mmkAmount } = ctx.i18n
  return (
    <>
      <h1 safe>{t('topup.orderTitle', { amount: mmkAmount(order.amountMmk) })}</h1>
      <div class="grid">
        {qrSvg ? <QrCard ctx={ctx} order={order} qrSvg={qrSvg} /> : <ClosedOrder {...props} />}
        <div>
          <OrderStatus ctx={ctx} order={order} balanceUnits={props.balanceUnits} now={props.now} />
          {props.sandbox && qrSvg ? <SandboxWallet ctx={ctx} order={order} /> : ''}
        </div>
      </div>
    </>
  )
}

function QrCard({ ctx, order, qrSvg }: { ctx: PortalContext; order: TopupOrder; qrSvg: string }) {
  const { t, mmkAmount } = ctx.i18n
  const safeSvg = qrSvg
  return (
    <section class="card" id="topup-qr">
      <figure
        class="qr"
        role="img"
        aria-label={t('topup.qrLabel', { amount: mmkAmount(order.amountMmk) })}
      >
        {safeSvg}
      </figure>
      <p safe>{t('topup.scanWith')}</p>
      <ul translate="no">
        {wallets.map((wallet) => (
          <li>{wallet}</li>
        ))}
      </ul>
      <OrderId ctx={ctx} order={order} />
      <details>
        <summary safe>{t('topup.payload')}</summary>
        <pre id="topup-payload" translate="no" safe>
          {order.qrPayload ?? ''}
        </pre>
        <CopyButton ctx={ctx} target="topup-payload" />
      </details>
    </section>
  )
}

/**
 * In place of the QR once the order is closed. `swap` sends it with the status poll to replace
 * the QR (and take the sandbox wallet away) on a page that was opened while the order was open.
 */
export function ClosedOrder(props: { ctx: PortalContext; order: TopupOrder; swap?: boolean }) {
  const { t } = props.ctx.i18n
  return (
    <>
      <section class="card" id="topup-qr" hx-swap-oob={props.swap ? 'true' : undefined}>
        <p safe>{t('topup.qrClosed')}</p>
        <OrderId ctx={props.ctx} order={props.order} />
      </section>
      {props.swap ? <div id="sandbox-wallet" hx-swap-oob="delete"></div> : ''}
    </>
  )
}

function OrderId({ ctx, order }: { ctx: PortalContext; order: TopupOrder }) {
  return (
    <p class="muted">
      <span safe>{ctx.i18n.t('topup.orderId')}</span>{' '}
      <code translate="no" safe>
        {order.id}
      </code>
    </p>
  )
}

/** Only with the simulator: pays the QR as a wallet would, so the flow can be seen offline. */
function SandboxWallet({ ctx, order }: { ctx: PortalContext; order: TopupOrder }) {
  const { t } = ctx.i18n
  const action = `/topup/${order.id}/sandbox-pay`
  return (
    <section class="card" id="sandbox-wallet">
      <h2 safe>{t('topup.sandboxTitle')}</h2>
      <p class="banner" safe>
        {t('topup.sandboxNote')}
      </p>
      {wallets.map((wallet) => (
        <form
          class="inline"
          method="post"
          action={action}
          hx-post={action}
          hx-target="#topup-status"
          hx-swap="outerHTML"
        >
          <CsrfField ctx={ctx} />
          <input type="hidden" name="wallet" value={wallet} />
          <button type="submit" class="secondary" safe>
            {t('topup.sandboxPay', { wallet })}
          </button>
        </form>
      ))}
    </section>
  )
}
