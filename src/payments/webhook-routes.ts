import { Elysia, t } from 'elysia'
import { addressLimit } from '../http/address-limit'
import { ApiError, unauthorized } from '../http/api-error'
import { readBody } from '../http/read-body'
import { contextOf } from '../http/request-context'
import type { Services } from '../services'
import { WebhookSignatureError } from './errors'
import { ReplayGuard } from './replay-guard'
import type { PaymentState, WebhookEvent } from './types'

const received = t.Object({ received: t.Boolean() })
const error = t.Object({
  error: t.Object({
    message: t.String(),
    type: t.String(),
    param: t.Nullable(t.String()),
    code: t.Nullable(t.String()),
  }),
})

/** Callback statuses that move money, which MMPay is asked to confirm first. */
const movesMoney = new Set(['SUCCESS', 'REFUNDED'])

/**
 * MMPay's callback. The signature covers the exact bytes sent, so the body is read raw
 * (`parse: 'none'`) and verified before anything parses it; a re-serialized body would not match.
 * A callback that moves money is a hint (PROTOCOLS.md §2.5): with MMPAY_CONFIRM_WITH_GET, on by
 * default in production, what MMPay's `get` says is applied instead, so even a leaked secret
 * cannot sign money into an account.
 */
export function webhookRoutes(services: Services) {
  const { payments, logger, config } = services
  const confirmWithGet = config.MMPAY_CONFIRM_WITH_GET ?? config.NODE_ENV === 'production'

  const confirmed = async (event: WebhookEvent, requestId: string): Promise<PaymentState> => {
    if (!confirmWithGet || !movesMoney.has(event.status)) return event
    // MMPay has nothing to confirm about an order that is not ours; settling reports it.
    if (!(await payments.orders.get(event.orderId))) return event
    let state: PaymentState
    try {
      state = await payments.provider.getPayment(event.orderId)
    } catch (error) {
      logger.warn('mmpay_confirm_failed', { requestId, orderId: event.orderId, error })
      throw new ApiError(
        503,
        'service_unavailable_error',
        'payment_provider_unavailable',
        'The payment could not be confirmed with MMPay yet; deliver the callback again later.',
      )
    }
    if (state.status !== event.status) {
      logger.warn('mmpay_callback_unconfirmed', {
        requestId,
        orderId: event.orderId,
        said: event.status,
        confirmed: state.status,
      })
    }
    return state
  }
  const replays = new ReplayGuard(config.MMPAY_WEBHOOK_TOLERANCE_MS)
  const perAddress = addressLimit({
    what: 'payment callbacks',
    perMinute: config.WEBHOOKS_PER_MINUTE_PER_ADDRESS,
    config,
    clock: services.clock,
  })

  return new Elysia({ name: 'payments-webhooks' }).post(
    '/webhooks/mmpay',
    async ({ request }) => {
      const requestId = contextOf(request).id
      const raw = (await readBody(request, config.MAX_BODY_BYTES)).text
      const nonce = request.headers.get('x-mmpay-nonce') ?? ''
      const signature = request.headers.get('x-mmpay-signature') ?? ''
      const now = Date.now()
      if (replays.has(nonce, signature, now)) return { received: true }

      let event
      try {
        event = payments.provider.verifyWebhook(raw, request.headers, now)
      } catch (error) {
        if (!(error instanceof WebhookSignatureError)) throw error
        logger.warn('mmpay_webhook_rejected', { requestId, why: error.message })
        throw unauthorized('The callback signature does not verify.', 'invalid_signature')
      }

      const { orderId, status, condition, amount, isRedelivery } = event
      await payments.orders.recordEvent(orderId, {
        kind: 'webhook',
        detail: { status, condition, amount, isRedelivery, vendor: event.vendor },
        at: services.clock.now(),
      })
      const state = await confirmed(event, requestId)
      const order = await payments.settlement.apply(orderId, state, 'webhook')
      // Unknown orders still get 200: a non-200 would only make MMPay retry forever.
      if (!order) logger.warn('mmpay_webhook_unknown_order', { requestId, orderId, status })
      replays.remember(nonce, signature, now)
      return { received: true }
    },
    {
      beforeHandle: perAddress,
      parse: 'none',
      response: { 200: received, 401: error, 413: error, 429: error, 503: error },
      detail: {
        summary: 'MMPay payment callback',
        description:
          'Signed by MMPay with HMAC-SHA256 over `X-Mmpay-Nonce + "." + raw body`. Verified in ' +
          'constant time before parsing; 401 and no change on a bad signature. Any number of ' +
          'deliveries of one payment credit it once; valid redeliveries answer 200. With ' +
          'MMPAY_CONFIRM_WITH_GET, a payment or refund is first confirmed with MMPay; 503 when ' +
          'MMPay cannot be asked, so that it delivers again.',
        tags: ['payments'],
      },
    },
  )
}
