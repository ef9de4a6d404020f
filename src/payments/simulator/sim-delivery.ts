import { signPayload } from '../signature'
import type { Faults } from './sim-faults'
import { callbackShape, type SimMerchant, type SimOrder } from './sim-store'

export interface Delivery {
  orderId: string
  url: string
  nonce: string
  body: string
  attempt: number
  /** The merchant's HTTP status; null when the attempt was lost or could not connect. */
  responseStatus: number | null
  at: number
  fault?: string
}

export interface DeliveryOptions {
  now: () => number
  /** Delay before each attempt: the first is usually 0, then MMPay's back-off. */
  retriesMs: number[]
  /** Scales every delay, so tests run the schedule in milliseconds. */
  timeScale: number
  faults: Faults
}

/**
 * Sends callbacks as MMPay does: compact JSON signed over `nonce + "." + body` with a fresh
 * nonce per attempt, retried on any non-2xx answer. The first attempt is awaited by the caller,
 * later ones run on timers that `stop` clears.
 */
export class Deliverer {
  readonly log: Delivery[] = []
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()

  constructor(private readonly options: DeliveryOptions) {}

  /** `withFaults: false` keeps armed faults for the status change a test is aiming at. */
  async announce(merchant: SimMerchant, order: SimOrder, withFaults = true) {
    const url = order.callbackUrl ?? merchant.defaultCallbackUrl
    if (!url) return
    const callback = callbackShape(order)
    const fault = withFaults ? this.options.faults.take('callback') : undefined
    if (fault === 'lost') {
      this.record(order.orderId, url, '', '', 1, null, fault)
      return
    }
    if (fault === 'delay') {
      this.later(this.options.retriesMs[1] ?? 5000, () => this.attempt(merchant, url, callback, 1))
      return
    }

    const send = (body: typeof callback, mode?: string) =>
      this.attempt(merchant, url, body, 1, mode)
    if (fault === 'duplicate') await Promise.all([send(callback), send(callback)])
    else if (fault === 'out_of_order') {
      await send(callback)
      await send({ ...callback, status: 'PENDING', condition: 'PRISTINE' }, fault)
    } else await send(callback, fault)
  }

  private async attempt(
    merchant: SimMerchant,
    url: string,
    callback: object,
    attempt: number,
    fault?: string,
  ): Promise<void> {
    const nonce = String(this.options.now())
    const body =
      fault === 'pretty_json' ? JSON.stringify(callback, null, 2) : JSON.stringify(callback)
    const secret = fault === 'bad_signature' ? `${merchant.secretKey}-wrong` : merchant.secretKey
    const status = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-mmpay-nonce': nonce,
        'x-mmpay-signature': signPayload(secret, nonce, body),
      },
      body,
    }).then(
      (response) => response.status,
      () => null,
    )
    const orderId = (callback as { orderId: string }).orderId
    this.record(orderId, url, nonce, body, attempt, status, fault)

    const delay = this.options.retriesMs[attempt]
    if ((status === null || status < 200 || status > 299) && delay !== undefined) {
      this.later(delay, () => this.attempt(merchant, url, callback, attempt + 1))
    }
  }

  private later(delayMs: number, work: () => Promise<void>) {
    const timer = setTimeout(() => {
      this.timers.delete(timer)
      void work()
    }, delayMs * this.options.timeScale)
    this.timers.add(timer)
  }

  private record(
    orderId: string,
    url: string,
    nonce: string,
    body: string,
    attempt: number,
    responseStatus: number | null,
    fault?: string,
  ) {
    this.log.push({
      orderId,
      url,
      nonce,
      body,
      attempt,
      responseStatus,
      at: this.options.now(),
      fault,
    })
  }

  stop() {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
  }
}
