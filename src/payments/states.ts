import type { PaymentState } from './types'

/**
 * A top-up's life (PROTOCOLS.md §2.5): CREATING → PENDING → PAID | FAILED | EXPIRED | CANCELLED,
 * PAID → REFUNDED, and a payment that arrives after we gave up → PAID_LATE, flagged for review.
 * FAILED_TO_CREATE is an attempt the provider never confirmed.
 */
export const topupStatuses = [
  'CREATING',
  'PENDING',
  'PAID',
  'PAID_LATE',
  'FAILED',
  'FAILED_TO_CREATE',
  'EXPIRED',
  'CANCELLED',
  'REFUNDED',
] as const
export type TopupStatus = (typeof topupStatuses)[number]

export type ReviewReason = 'amount_mismatch' | 'late_payment' | 'refund_shortfall'

export interface OrderFacts {
  status: TopupStatus
  amountMmk: number
  reviewReason: string | null
}

/** What to do with an order given what the provider says; `null` when nothing changes. */
export interface Decision {
  to: TopupStatus
  money?: 'credit' | 'refund'
  review?: ReviewReason
}

const open: TopupStatus[] = ['CREATING', 'PENDING']
const gaveUp: TopupStatus[] = ['EXPIRED', 'CANCELLED', 'FAILED', 'FAILED_TO_CREATE']
const credited: TopupStatus[] = ['PAID', 'PAID_LATE']

export function decide(order: OrderFacts, state: PaymentState): Decision | null {
  switch (state.status) {
    case 'SUCCESS':
      return decideSuccess(order, state)
    case 'REFUNDED':
      if (credited.includes(order.status)) return { to: 'REFUNDED', money: 'refund' }
      return order.status === 'REFUNDED' ? null : { to: 'REFUNDED' }
    case 'FAILED':
    case 'EXPIRED':
    case 'CANCELLED':
      return open.includes(order.status) ? { to: state.status } : null
    case 'PENDING':
      return null
  }
}

function decideSuccess(order: OrderFacts, state: PaymentState): Decision | null {
  if (credited.includes(order.status) || order.status === 'REFUNDED') return null
  // Money moved for another amount than we asked: credit nothing, let a person decide.
  if (state.amount !== order.amountMmk) {
    return order.reviewReason?.endsWith('amount_mismatch')
      ? null
      : { to: 'CANCELLED', review: 'amount_mismatch' }
  }
  if (open.includes(order.status)) return { to: 'PAID', money: 'credit' }
  if (gaveUp.includes(order.status) && !order.reviewReason?.endsWith('amount_mismatch')) {
    return { to: 'PAID_LATE', money: 'credit', review: 'late_payment' }
  }
  return null
}

export const isFinal = (status: TopupStatus) => !open.includes(status)

/** Whether an order's QR may still be paid: waiting, with a code, and not past its time. */
export function isPayable(
  order: { status: string; qrPayload: string | null; expiresAt: number },
  now: number,
) {
  return order.status === 'PENDING' && order.qrPayload !== null && now < order.expiresAt
}
