import type { TopupOrder } from '../../src/payments/orders'
import { wallets } from '../../src/payments/types'
import type { PortalContext } from '../../src/portal/context'
import { CopyButton, CsrfField } from '../components/forms'
import { OrderStatus } from './status'

export interface OrderPageProps {
  ctx: PortalContext
  order: TopupOrder
  /** The QR as SVG markup, rendered by us from the provider's payload. */
  qrSvg: string
  balanceUnits: number
  now: number
  sandbox: boolean
}

/** One order: the MMQR code, who can pay it, its live status, and the sandbox wallet. */
export function OrderPage(props: OrderPageProps) {
  const { ctx, order } = props
  const { t, mmkAmount } = ctx.i18n
  const amount = mmkAmount(order.amountMmk)
  const safeSvg = props.qrSvg
  return (
    <>
      <h1 safe>{t('topup.orderTitle', { amount })}</h1>
      <div class="grid">
        <section class="card">
          <figure class="qr" role="img" aria-label={t('topup.qrLabel', { amount })}>
            {safeSvg}
          </figure>
          <p safe>{t('topup.scanWith')}</p>
          <ul translate="no">
            {wallets.map((wallet) => (
              <li>{wallet}</li>
            ))}
          </ul>
          <p class="muted">
            <span safe>{t('topup.orderId')}</span>{' '}
            <code translate="no" safe>
              {order.id}
            </code>
          </p>
          <details>
            <summary safe>{t('topup.payload')}</summary>
            <pre id="topup-payload" translate="no" safe>
              {order.qrPayload ?? ''}
            </pre>
            <CopyButton ctx={ctx} target="topup-payload" />
          </details>
        </section>
        <div>
          <OrderStatus ctx={ctx} order={order} balanceUnits={props.balanceUnits} now={props.now} />
          {props.sandbox && order.status === 'PENDING' ? (
            <SandboxWallet ctx={ctx} order={order} />
          ) : (
            ''
          )}
        </div>
      </div>
    </>
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
