import type { Clock } from '../lib/clock'
import type { Ledger } from '../ledger/ledger'
import { mmkToUnits, unitsToMmk } from '../ledger/money'
import type { Logger } from '../ops/logger'
import type { KeyedLock } from './keyed-lock'
import type { TopupOrder, TopupOrders } from './orders'
import { decide, type Decision, type TopupStatus } from './states'
import type { PaymentProvider, PaymentState } from './types'

export interface SettlementDeps {
  orders: TopupOrders
  ledger: Ledger
  provider: PaymentProvider
  clock: Clock
  logger: Logger
  lock: KeyedLock
}

export type Source = 'webhook' | 'reconciler' | 'expiry'

/**
 * Applies what the provider says about an order. Money moves before the status does, under a
 * ledger reference unique to the order, so a crash in between is repaired by the next callback
 * or reconciler pass and can never credit twice.
 */
export class Settlement {
  constructor(private readonly deps: SettlementDeps) {}

  apply(orderId: string, state: PaymentState, source: Source): Promise<TopupOrder | undefined> {
    return this.deps.lock.run(orderId, async () => {
      const order = await this.deps.orders.get(orderId)
      if (!order) return undefined
      const decision = decide(
        {
          status: order.status as TopupStatus,
          amountMmk: order.amountMmk,
          reviewReason: order.reviewReason,
        },
        state,
      )
      if (!decision) return order
      return this.carryOut(order, decision, state, source)
    })
  }

  /** Our own decision to stop waiting: the order expires here first, then at the provider. */
  expire(orderId: string): Promise<TopupOrder | undefined> {
    return this.deps.lock.run(orderId, async () => {
      const at = this.deps.clock.now()
      return this.deps.orders.transition(
        orderId,
        'PENDING',
        { status: 'EXPIRED' },
        {
          kind: 'transition',
          detail: { from: 'PENDING', to: 'EXPIRED', source: 'expiry' },
          at,
        },
      )
    })
  }

  private async carryOut(
    order: TopupOrder,
    decision: Decision,
    state: PaymentState,
    source: Source,
  ) {
    const { orders, logger, clock } = this.deps
    let review: string | undefined = decision.review
    if (decision.money === 'credit') await this.credit(order)
    if (decision.money === 'refund') review = (await this.refund(order)) ?? review

    const moved = await orders.transition(
      order.id,
      order.status as TopupStatus,
      {
        status: decision.to,
        reviewReason: review ?? order.reviewReason,
        wallet: state.vendor ?? order.wallet,
        paidAmountMmk: state.status === 'SUCCESS' ? state.amount : order.paidAmountMmk,
        paidAt: decision.money === 'credit' ? clock.now() : order.paidAt,
      },
      {
        kind: 'transition',
        detail: { from: order.status, to: decision.to, source, provider: state.raw },
        at: clock.now(),
      },
    )
    logger.info('topup_transition', {
      orderId: order.id,
      from: order.status,
      to: decision.to,
      source,
    })
    if (decision.review === 'amount_mismatch') await this.rejectMismatch(order, state)
    return moved
  }

  private async credit(order: TopupOrder) {
    await this.deps.ledger.credit({
      accountId: order.accountId,
      amountUnits: mmkToUnits(order.amountMmk),
      reason: 'topup',
      reference: `topup:${order.id}`,
    })
  }

  /**
   * The ledger never lets a debit take the available balance below zero, so a refund takes
   * back what is available (up to the top-up; money held by requests in flight is theirs) and
   * a shortfall goes to a person instead of becoming a debt.
   */
  private async refund(order: TopupOrder): Promise<'refund_shortfall' | undefined> {
    const { ledger } = this.deps
    const wanted = mmkToUnits(order.amountMmk)
    const taken = Math.min(wanted, Math.max(0, ledger.fundsOf(order.accountId).availableUnits))
    if (taken > 0) {
      await ledger.credit({
        accountId: order.accountId,
        amountUnits: -taken,
        reason: 'refund',
        reference: `refund:${order.id}`,
        note: taken < wanted ? `short by ${unitsToMmk(wanted - taken)} MMK` : undefined,
      })
    }
    if (taken === wanted) return undefined
    this.deps.logger.warn('topup_refund_shortfall', {
      orderId: order.id,
      shortMmk: unitsToMmk(wanted - taken),
    })
    return 'refund_shortfall'
  }

  /** MMPay's advice for a callback with another amount: cancel, credit nothing, alert. */
  private async rejectMismatch(order: TopupOrder, state: PaymentState) {
    this.deps.logger.error('topup_amount_mismatch', {
      orderId: order.id,
      expectedMmk: order.amountMmk,
      paidMmk: state.amount,
    })
    await this.deps.provider
      .cancelPayment(order.id)
      .catch((error) =>
        this.deps.logger.warn('topup_cancel_failed', { orderId: order.id, error: String(error) }),
      )
  }
}
