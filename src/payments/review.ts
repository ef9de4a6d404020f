import { conflict, notFound } from '../http/api-error'
import type { Clock } from '../lib/clock'
import type { Ledger } from '../ledger/ledger'
import { mmkToUnits } from '../ledger/money'
import type { KeyedLock } from './keyed-lock'
import { RESOLVED, type TopupOrder, type TopupOrders } from './orders'

/** Orders whose payment reached the balance (a refund takes it back under its own entry). */
const MONEY_ARRIVED = ['PAID', 'PAID_LATE', 'REFUNDED']

const manualReference = (orderId: string) => `topup-manual:${orderId}`

/**
 * What an admin does with an order in the review queue: credit it by hand (once per order,
 * referencing it) and mark the review done. The reason stays on the order behind a prefix.
 * A manual credit is for money the provider took but we never credited (an amount mismatch);
 * an order paid the normal way, or not waiting for review, is refused.
 */
export class TopupReview {
  constructor(
    private readonly orders: TopupOrders,
    private readonly ledger: Ledger,
    private readonly clock: Clock,
    private readonly lock: KeyedLock,
  ) {}

  queue() {
    return this.orders.listNeedingReview()
  }

  manualCredit(orderId: string, amountMmk: number, note: string, adminId: string) {
    return this.lock.run(orderId, async () => {
      const order = await this.require(orderId)
      await this.refuseUnlessCreditable(order)
      const result = await this.ledger.credit({
        accountId: order.accountId,
        amountUnits: mmkToUnits(amountMmk),
        reason: 'adjustment',
        reference: manualReference(order.id),
        note: `${note} (order ${order.id})`,
      })
      if (!result.applied)
        throw conflict('This order was already credited by hand.', 'already_credited')
      await this.orders.recordEvent(order.id, {
        kind: 'manual_credit',
        detail: { amountMmk, note, adminId },
        at: this.clock.now(),
      })
      await this.markResolved(order, adminId)
      return result
    })
  }

  resolve(orderId: string, adminId: string) {
    return this.lock.run(orderId, async () =>
      this.markResolved(await this.require(orderId), adminId),
    )
  }

  private async refuseUnlessCreditable(order: TopupOrder) {
    if (MONEY_ARRIVED.includes(order.status)) {
      throw conflict(
        `Order ${order.id} is ${order.status}: its payment was already credited, so a manual ` +
          'credit would pay it twice.',
        'already_paid',
      )
    }
    if (await this.ledger.entryByReference(manualReference(order.id))) {
      throw conflict('This order was already credited by hand.', 'already_credited')
    }
    if (!needsReview(order)) {
      throw conflict(
        `Order ${order.id} is not in the review queue; only an order waiting for review can ` +
          'be credited by hand.',
        'not_in_review',
      )
    }
  }

  private async markResolved(order: TopupOrder, adminId: string) {
    if (!needsReview(order)) return
    const at = this.clock.now()
    await this.orders.update(order.id, { reviewReason: RESOLVED + order.reviewReason }, at)
    await this.orders.recordEvent(order.id, { kind: 'review_resolved', detail: { adminId }, at })
  }

  private async require(orderId: string) {
    const order = await this.orders.get(orderId)
    if (!order) throw notFound(`No top-up order ${orderId}.`, 'order_not_found', 'id')
    return order
  }
}

/** Whether a manual credit may pay this order: in review, and its money never arrived. */
export function creditableByHand(order: TopupOrder): boolean {
  return !MONEY_ARRIVED.includes(order.status) && needsReview(order)
}

function needsReview(order: TopupOrder): boolean {
  return order.reviewReason !== null && !order.reviewReason.startsWith(RESOLVED)
}
