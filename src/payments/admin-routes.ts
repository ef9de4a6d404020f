import { Elysia, t } from 'elysia'
import { adminError } from '../admin/schemas'
import { adminGuard } from '../admin/guard'
import { unitsToMmk } from '../ledger/money'
import type { Services } from '../services'
import { orderTimes, type TopupOrder } from './orders'

const detail = (summary: string) => ({
  summary,
  tags: ['admin', 'payments'],
  security: [{ adminKey: [] }],
})

const order = t.Object({
  id: t.String(),
  account_id: t.String(),
  amount_mmk: t.Integer(),
  status: t.String(),
  wallet: t.Nullable(t.String()),
  paid_amount_mmk: t.Nullable(t.Integer()),
  review_reason: t.Nullable(t.String()),
  expires_at: t.String(),
  paid_at: t.Nullable(t.String()),
  created_at: t.String(),
})
const orderList = t.Object({ data: t.Array(order) })
const errors = { 400: adminError, 401: adminError, 404: adminError, 409: adminError }

export function orderJson(row: TopupOrder) {
  return {
    id: row.id,
    account_id: row.accountId,
    amount_mmk: row.amountMmk,
    status: row.status,
    wallet: row.wallet,
    paid_amount_mmk: row.paidAmountMmk,
    review_reason: row.reviewReason,
    ...orderTimes(row),
  }
}

/** Orders for the admin: recent ones, the queue needing a person, and a manual credit. */
export function topupAdminRoutes(services: Services) {
  const { payments, config } = services

  return new Elysia({ name: 'payments-admin', prefix: '/admin/topups' })
    .use(adminGuard(services))
    .get('/', async () => ({ data: (await payments.orders.listRecent()).map(orderJson) }), {
      response: { 200: orderList, 401: adminError },
      detail: detail('Recent top-up orders, newest first'),
    })
    .get('/review', async () => ({ data: (await payments.review.queue()).map(orderJson) }), {
      response: { 200: orderList, 401: adminError },
      detail: detail(
        'Orders needing a human look: amount mismatch, late payment, refund shortfall',
      ),
    })
    .post(
      '/:id/credit',
      async ({ params, body }) => {
        const result = await payments.review.manualCredit(
          params.id,
          body.amount_mmk,
          body.note,
          'admin',
        )
        return { balance_mmk: unitsToMmk(result.balanceUnits) }
      },
      {
        params: t.Object({ id: t.String({ maxLength: 64 }) }),
        body: t.Object({
          amount_mmk: t.Integer({ minimum: 1, maximum: config.TOPUP_MAX_MMK }),
          note: t.String({ minLength: 1, maxLength: 200 }),
        }),
        response: { 200: t.Object({ balance_mmk: t.Number() }), ...errors },
        detail: {
          ...detail('Credit an order by hand (once per order) and close its review'),
          description:
            'Only for an order in the review queue whose money never reached the balance ' +
            '(an amount mismatch); a paid order gets 409 already_paid, any other order not ' +
            'in review 409 not_in_review.',
        },
      },
    )
    .post(
      '/:id/resolve',
      async ({ params }) => {
        await payments.review.resolve(params.id, 'admin')
        return orderJson((await payments.orders.get(params.id))!)
      },
      {
        params: t.Object({ id: t.String({ maxLength: 64 }) }),
        response: { 200: order, ...errors },
        detail: detail('Close the review of an order without moving money'),
      },
    )
}
