import { describe, expect, test } from 'bun:test'
import { decide, type TopupStatus } from '../../src/payments/states'
import type { PaymentStatus } from '../../src/payments/types'

const order = (status: TopupStatus, reviewReason: string | null = null) => ({
  status,
  amountMmk: 5000,
  reviewReason,
})
const state = (status: PaymentStatus, amount = 5000) => ({
  orderId: 'tp_1',
  amount,
  status,
  raw: {},
})

describe('the top-up state machine', () => {
  test.each([
    ['PENDING', 'SUCCESS', 5000, { to: 'PAID', money: 'credit' }],
    ['CREATING', 'SUCCESS', 5000, { to: 'PAID', money: 'credit' }],
    ['PAID', 'SUCCESS', 5000, null],
    ['EXPIRED', 'SUCCESS', 5000, { to: 'PAID_LATE', money: 'credit', review: 'late_payment' }],
    ['CANCELLED', 'SUCCESS', 5000, { to: 'PAID_LATE', money: 'credit', review: 'late_payment' }],
    [
      'FAILED_TO_CREATE',
      'SUCCESS',
      5000,
      { to: 'PAID_LATE', money: 'credit', review: 'late_payment' },
    ],
    ['PENDING', 'SUCCESS', 4999, { to: 'CANCELLED', review: 'amount_mismatch' }],
    ['PENDING', 'PENDING', 5000, null],
    ['PENDING', 'FAILED', 5000, { to: 'FAILED' }],
    ['PENDING', 'EXPIRED', 5000, { to: 'EXPIRED' }],
    ['PENDING', 'CANCELLED', 5000, { to: 'CANCELLED' }],
    ['PAID', 'CANCELLED', 5000, null],
    ['PAID', 'REFUNDED', 5000, { to: 'REFUNDED', money: 'refund' }],
    ['PAID_LATE', 'REFUNDED', 5000, { to: 'REFUNDED', money: 'refund' }],
    ['PENDING', 'REFUNDED', 5000, { to: 'REFUNDED' }],
    ['REFUNDED', 'REFUNDED', 5000, null],
    ['REFUNDED', 'SUCCESS', 5000, null],
  ] as const)('%s + provider %s (%d MMK) → %o', (from, status, amount, expected) => {
    expect(decide(order(from), state(status, amount))).toEqual(expected)
  })

  test('an order cancelled for a mismatch is never credited by a later callback', () => {
    expect(decide(order('CANCELLED', 'amount_mismatch'), state('SUCCESS', 4999))).toBeNull()
    expect(
      decide(order('CANCELLED', 'resolved:amount_mismatch'), state('SUCCESS', 4999)),
    ).toBeNull()
    expect(decide(order('CANCELLED', 'amount_mismatch'), state('SUCCESS'))).toBeNull()
  })
})
