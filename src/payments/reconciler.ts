import type { Clock } from '../lib/clock'
import type { Logger } from '../ops/logger'
import { ProviderStatusError } from './errors'
import type { TopupOrders } from './orders'
import type { Settlement } from './settlement'
import type { PaymentProvider } from './types'

export interface ReconcilerOptions {
  /** A callback later than this after creation is presumed lost; ask the provider. */
  callbackGraceMs: number
  /** An order stuck in CREATING this long belonged to a process that died mid-create. */
  creatingTimeoutMs: number
}

export interface ReconcileReport {
  asked: number
  expired: number
  abandoned: number
}

/**
 * The callback is a hint; this pass is the safety net. It asks the provider about pending
 * orders whose callback is late, expires orders past their time, and closes abandoned creates.
 */
export class Reconciler {
  private running: Promise<ReconcileReport> | null = null

  constructor(
    private readonly orders: TopupOrders,
    private readonly settlement: Settlement,
    private readonly provider: PaymentProvider,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: ReconcilerOptions,
  ) {}

  /** One pass; overlapping calls share the pass already running. */
  runOnce(): Promise<ReconcileReport> {
    this.running ??= this.pass().finally(() => (this.running = null))
    return this.running
  }

  /** Runs a pass every `intervalMs`; returns the function that stops it. */
  start(intervalMs: number): () => void {
    const timer = setInterval(() => {
      this.runOnce().catch((error) => this.logger.error('topup_reconcile_failed', { error }))
    }, intervalMs)
    timer.unref()
    return () => clearInterval(timer)
  }

  private async pass(): Promise<ReconcileReport> {
    const now = this.clock.now()
    // Asking first means an order paid in time whose callback was lost is credited as PAID,
    // not expired first and then flagged as a late payment.
    const asked = await this.askAboutLate(now)
    const expired = await this.expireOverdue(now)
    const abandoned = await this.closeAbandoned(now)
    if (asked + expired + abandoned > 0) {
      this.logger.info('topup_reconciled', { asked, expired, abandoned })
    }
    return { asked, expired, abandoned }
  }

  private async askAboutLate(now: number) {
    const late = await this.orders.listStale(['PENDING'], now - this.options.callbackGraceMs)
    for (const order of late) {
      try {
        const state = await this.provider.getPayment(order.id)
        await this.settlement.apply(order.id, state, 'reconciler')
      } catch (error) {
        this.logger.warn('topup_reconcile_get_failed', { orderId: order.id, error: String(error) })
      }
    }
    return late.length
  }

  /**
   * Expired here first, then cancelled at the provider. If the provider refuses because the
   * order was paid meanwhile, its state is applied, which credits it as a late payment.
   */
  private async expireOverdue(now: number) {
    const overdue = await this.orders.listExpired(now)
    for (const order of overdue) {
      if (!(await this.settlement.expire(order.id))) continue
      try {
        await this.provider.cancelPayment(order.id)
      } catch (error) {
        if (!(error instanceof ProviderStatusError && error.status === 409)) {
          this.logger.warn('topup_cancel_failed', { orderId: order.id, error: String(error) })
          continue
        }
        const state = await this.provider.getPayment(order.id).catch(() => undefined)
        if (state) await this.settlement.apply(order.id, state, 'expiry')
      }
    }
    return overdue.length
  }

  private async closeAbandoned(now: number) {
    const stuck = await this.orders.listStale(['CREATING'], now - this.options.creatingTimeoutMs)
    for (const order of stuck) {
      await this.orders.transition(
        order.id,
        'CREATING',
        { status: 'FAILED_TO_CREATE' },
        {
          kind: 'create_abandoned',
          detail: {},
          at: now,
        },
      )
      this.provider.cancelPayment(order.id).catch(() => {})
    }
    return stuck.length
  }
}
