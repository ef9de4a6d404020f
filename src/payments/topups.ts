import { ApiError, conflict, invalidRequest } from '../http/api-error'
import type { Clock } from '../lib/clock'
import type { Logger } from '../ops/logger'
import { PaymentProviderError } from './errors'
import { checkMmqr } from './mmqr'
import { newOrderId } from './order-id'
import type { TopupOrder, TopupOrders } from './orders'
import type { PaymentProvider } from './types'

export interface TopupLimits {
  minMmk: number
  maxMmk: number
  expirySeconds: number
}

export interface TopupsDeps {
  orders: TopupOrders
  provider: PaymentProvider
  clock: Clock
  logger: Logger
  limits: TopupLimits
  /** Where the provider sends callbacks; read per order, since a test learns its port late. */
  callbackUrl: () => string
}

export interface NewTopup {
  accountId: string
  amountMmk: number
  /** The same key from the same account answers with the same order: a double click is one. */
  idempotencyKey?: string
  /** Asked only when a new order is about to be opened, so bad input and retries cost nothing. */
  admission?: Admission
}

/** A caller's allowance of new orders (a per-address limit, say). */
export interface Admission {
  /** Throws (a 429) when the caller may open no more orders now. */
  admit(): void
  /** Undoes `admit` for a request that turned out to be a retry after all. */
  release(): void
}

const idempotencyKeyPattern = /^[A-Za-z0-9._:-]{1,100}$/

/** Opening top-up orders: validate, record, ask the provider for a QR. */
export class Topups {
  private readonly inFlight = new Map<string, Promise<TopupOrder>>()

  constructor(private readonly deps: TopupsDeps) {}

  async create(input: NewTopup): Promise<TopupOrder> {
    this.validate(input)
    if (!input.idempotencyKey) return this.open(input)

    const slot = `${input.accountId}:${input.idempotencyKey}`
    const earlier = await this.earlier(slot, input.accountId, input.idempotencyKey)
    if (earlier) return this.sameAmount(earlier, input)

    const work = this.open(input)
    this.inFlight.set(slot, work)
    try {
      return await work
    } finally {
      this.inFlight.delete(slot)
    }
  }

  /** The order this key already made, whether it is stored or still being opened. */
  private async earlier(slot: string, accountId: string, key: string) {
    const running = this.inFlight.get(slot)
    if (running) return running
    const stored = await this.deps.orders.byIdempotencyKey(accountId, key)
    // A request with the same key may have started while we looked.
    return stored ?? this.inFlight.get(slot)
  }

  private validate(input: NewTopup) {
    const { minMmk, maxMmk } = this.deps.limits
    const amount = input.amountMmk
    if (!Number.isSafeInteger(amount) || amount < minMmk || amount > maxMmk) {
      throw invalidRequest(
        `amount_mmk must be a whole number of kyat from ${minMmk} to ${maxMmk}.`,
        'amount_mmk',
        'invalid_amount',
      )
    }
    if (input.idempotencyKey !== undefined && !idempotencyKeyPattern.test(input.idempotencyKey)) {
      throw invalidRequest(
        'Idempotency-Key must be 1-100 characters of [A-Za-z0-9._:-].',
        'idempotency_key',
        'invalid_idempotency_key',
      )
    }
  }

  private sameAmount(order: TopupOrder, input: NewTopup) {
    if (order.amountMmk !== input.amountMmk) {
      throw conflict('This Idempotency-Key was used for another amount.', 'idempotency_conflict')
    }
    return order
  }

  private async open(input: NewTopup): Promise<TopupOrder> {
    input.admission?.admit()
    const { orders, clock } = this.deps
    const now = clock.now()
    const order: TopupOrder = {
      id: newOrderId(),
      accountId: input.accountId,
      amountMmk: input.amountMmk,
      status: 'CREATING',
      provider: this.deps.provider.name,
      providerRef: null,
      idempotencyKey: input.idempotencyKey ?? null,
      qrPayload: null,
      wallet: null,
      paidAmountMmk: null,
      reviewReason: null,
      expiresAt: now + this.deps.limits.expirySeconds * 1000,
      paidAt: null,
      createdAt: now,
      updatedAt: now,
    }
    if (!(await orders.insert(order))) {
      // Another process took the key between our look-up and insert: this one is a retry.
      input.admission?.release()
      const winner = await orders.byIdempotencyKey(input.accountId, input.idempotencyKey!)
      return this.sameAmount(winner!, input)
    }
    return this.askProvider(order)
  }

  private async askProvider(order: TopupOrder): Promise<TopupOrder> {
    const { orders, provider, clock, logger } = this.deps
    try {
      const created = await provider.createPayment({
        orderId: order.id,
        amount: order.amountMmk,
        callbackUrl: this.deps.callbackUrl(),
        description: `Sargalay top-up ${order.id}`,
      })
      this.checkQr(order, created.qrPayload)
      const changes = {
        status: 'PENDING',
        providerRef: created.providerRef,
        qrPayload: created.qrPayload,
      }
      const moved = await orders.transition(order.id, 'CREATING', changes, {
        kind: 'created',
        detail: { providerRef: created.providerRef },
        at: clock.now(),
      })
      return moved ?? (await orders.get(order.id))!
    } catch (error) {
      if (!(error instanceof PaymentProviderError)) throw error
      await this.failCreate(order, error)
      logger.warn('topup_create_failed', { orderId: order.id, error: error.message })
      throw new ApiError(
        503,
        'api_error',
        'payment_provider_unavailable',
        'The payment provider did not answer. Please try again in a moment.',
        null,
        { 'retry-after': '5' },
      )
    }
  }

  /**
   * A timed-out create may still have reached the provider; cancelling it there too leaves no
   * payable orphan behind the order we mark failed.
   */
  private async failCreate(order: TopupOrder, error: PaymentProviderError) {
    const { orders, provider, clock } = this.deps
    await orders.transition(
      order.id,
      'CREATING',
      { status: 'FAILED_TO_CREATE' },
      {
        kind: 'create_failed',
        detail: { error: error.message },
        at: clock.now(),
      },
    )
    provider.cancelPayment(order.id).catch(() => {})
  }

  /** The provider is the authority on its QR; a surprise is an alert, not a refusal. */
  private checkQr(order: TopupOrder, payload: string) {
    const { problems } = checkMmqr(payload, order.amountMmk)
    if (problems.length > 0) {
      this.deps.logger.error('topup_qr_unexpected', { orderId: order.id, problems })
    }
  }
}
