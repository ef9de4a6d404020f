import { conflict, notFound } from '../http/api-error'
import type { Clock } from '../lib/clock'
import type { Ledger } from '../ledger/ledger'
import { mmkToUnits } from '../ledger/money'
import type { KeyedLock } from './keyed-lock'
import { RESOLVED, type TopupOrder, type TopupOrders } from './orders'

/**
 * What an admin does with an order in the review queue: credit it by hand (once per order,
 * referencing it) and mark the review done. The reason stays on the order behind a prefix.
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
      const result = await this.ledger.credit({
        accountId: order.accountId,
        amountUnits: mmkToUnits(amountMmk),
        reason: 'adjustment',
        reference: `topup-manual:${order.id}`,
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

  private async markResolved(order: TopupOrder, adminId: string) {
    if (!order.reviewReason || order.reviewReason.startsWith(RESOLVED)) return
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
