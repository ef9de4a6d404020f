import { Elysia, t } from 'elysia'
import { adminError } from '../admin/schemas'
import { authenticate } from '../auth/bearer'
import { notFound } from '../http/api-error'
import { unitsToMmk } from '../ledger/money'
import type { Services } from '../services'
import { orderTimes, type TopupOrder } from './orders'
import { qrPngDataUrl } from './qr-image'
import { isPayable } from './states'
import type { TopupLimit } from './topup-limit'

const detail = (summary: string) => ({
  summary,
  tags: ['payments'],
  security: [{ apiKey: [] }],
})

const order = t.Object({
  order_id: t.String(),
  status: t.String(),
  amount_mmk: t.Integer(),
  wallet: t.Nullable(t.String()),
  qr_payload: t.Nullable(t.String()),
  expires_at: t.String(),
  paid_at: t.Nullable(t.String()),
  created_at: t.String(),
})
const orderWithQr = t.Composite([
  order,
  t.Object({ qr_png_data_url: t.Nullable(t.String()), balance_mmk: t.Number() }),
])
const errors = { 400: adminError, 401: adminError, 404: adminError, 409: adminError }

function orderJson(row: TopupOrder) {
  return {
    order_id: row.id,
    status: row.status,
    amount_mmk: row.amountMmk,
    wallet: row.wallet,
    qr_payload: row.qrPayload,
    ...orderTimes(row),
  }
}

/**
 * A QR image only while the order can still be paid, as the portal shows it; a wallet app
 * scans it. An order past its time is closed even before the reconciler marks it expired.
 */
function qrPng(row: TopupOrder, now: number): Promise<string> | null {
  return isPayable(row, now) ? qrPngDataUrl(row.qrPayload!) : null
}

/**
 * Top-ups for programs (PROTOCOLS.md §2.5), authenticated by an API key: open an order and get
 * its MMQR code, then poll it until it is paid. The portal's /topup pages do the same for
 * people; both go through the same orders.
 */
export function topupApiRoutes(services: Services, limit: TopupLimit) {
  const { payments, ledger, keys } = services

  const withQr = async (row: TopupOrder) => ({
    ...orderJson(row),
    qr_png_data_url: await qrPng(row, services.clock.now()),
    balance_mmk: unitsToMmk(ledger.fundsOf(row.accountId).balanceUnits),
  })

  return (
    new Elysia({ name: 'topup-api', prefix: '/billing/topups' })
      // Before the body is validated, so a caller without a key always gets the same 401.
      .derive(({ request }) => ({ key: authenticate(keys, request) }))
      .post(
        '',
        async ({ key, request, server, body, set }) => {
          const row = await payments.topups.create({
            accountId: key.accountId,
            amountMmk: body.amount_mmk,
            idempotencyKey: request.headers.get('idempotency-key') ?? undefined,
            admission: limit({ request, server }),
          })
          set.status = 201
          return withQr(row)
        },
        {
          body: t.Object({ amount_mmk: t.Integer() }),
          response: { 201: orderWithQr, ...errors, 429: adminError, 502: adminError },
          detail: detail(
            'Open a top-up order and get its MMQR code; an Idempotency-Key header makes a retry ' +
              'answer with the same order',
          ),
        },
      )
      .get(
        '',
        async ({ key, query }) => {
          const rows = await payments.orders.listForAccount(key.accountId, query.limit ?? 20)
          return { data: rows.map(orderJson) }
        },
        {
          query: t.Object({ limit: t.Optional(t.Integer({ minimum: 1, maximum: 100 })) }),
          response: { 200: t.Object({ data: t.Array(order) }), ...errors },
          detail: detail('The calling account’s top-up orders, newest first'),
        },
      )
      .get(
        '/:id',
        async ({ key, params }) => {
          const row = await payments.orders.get(params.id)
          // Another account's order reads exactly like one that does not exist.
          if (!row || row.accountId !== key.accountId) {
            throw notFound(`No top-up order ${params.id}.`, 'order_not_found', 'id')
          }
          return withQr(row)
        },
        {
          params: t.Object({ id: t.String({ maxLength: 64 }) }),
          response: { 200: orderWithQr, ...errors },
          detail: detail('One of the calling account’s orders, with its status and the balance'),
        },
      )
  )
}
