import { Deliverer } from './sim-delivery'
import { Faults } from './sim-faults'
import { SimStore, type SimMerchant, type SimOrder } from './sim-store'
import { handleControl } from './sim-control'
import { handleWire } from './sim-wire'

export interface SimulatorOptions {
  merchants: SimMerchant[]
  /** How long a QR stays payable; MMPay's own value is not published. */
  qrTtlMs?: number
  deliveryRetriesMs?: number[]
  timeScale?: number
  /** Announce a created order with a PENDING callback, as MMPay's SDK expects. */
  emitCreatedCallback?: boolean
}

const RATE_LIMIT_PER_MINUTE = 1000

/**
 * A local MMPay speaking the real wire protocol (PROTOCOLS.md §2.7), plus `/__sim` controls.
 * Serve it with `startSimulator`, or call `handle` in process.
 */
export class Simulator {
  readonly store: SimStore
  readonly faults = new Faults()
  readonly deliverer: Deliverer
  readonly emitCreatedCallback: boolean
  offsetMs = 0
  private readonly merchants: SimMerchant[]
  private readonly rate = new Map<string, { minute: number; count: number }>()
  private readonly stopping = new AbortController()
  private readonly background = new Set<Promise<void>>()

  constructor(options: SimulatorOptions) {
    this.merchants = options.merchants
    this.emitCreatedCallback = options.emitCreatedCallback ?? true
    this.store = new SimStore(() => this.now(), options.qrTtlMs ?? 300_000)
    this.deliverer = new Deliverer({
      now: () => this.now(),
      retriesMs: options.deliveryRetriesMs ?? [0, 5_000, 30_000, 120_000, 600_000],
      timeScale: options.timeScale ?? 1,
      faults: this.faults,
    })
  }

  now() {
    return Date.now() + this.offsetMs
  }

  handle = async (request: Request): Promise<Response> => {
    const path = new URL(request.url).pathname
    await this.expireOverdue()
    const answer =
      (await handleControl(this, request, path)) ?? (await handleWire(this, request, path))
    return answer ?? Response.json({ code: 'NOT_FOUND', message: 'No such route' }, { status: 404 })
  }

  merchantByKey(publishableKey: string) {
    return this.merchants.find((m) => m.publishableKey === publishableKey)
  }

  withinRateLimit(appId: string) {
    const minute = Math.floor(this.now() / 60_000)
    const window = this.rate.get(appId)
    if (!window || window.minute !== minute) {
      this.rate.set(appId, { minute, count: 1 })
      return true
    }
    return ++window.count <= RATE_LIMIT_PER_MINUTE
  }

  /** Sends the order's callback now and waits for the merchant's first answer. */
  announce(order: SimOrder) {
    const merchant = this.merchants.find((m) => m.appId === order.appId)
    return merchant ? this.deliverer.announce(merchant, order) : Promise.resolve()
  }

  /**
   * Sends the callback after the current response, as MMPay does for created orders. It
   * leaves armed faults alone, so a test's fault hits the payment it is aimed at.
   */
  announceLater(merchant: SimMerchant, order: SimOrder) {
    const snapshot = { ...order }
    const work = new Promise<void>((resolve) => setTimeout(resolve, 0))
      .then(() => this.deliverer.announce(merchant, snapshot, false))
      .finally(() => this.background.delete(work))
    this.background.add(work)
  }

  async expireOverdue() {
    for (const order of this.store.overdue()) {
      order.status = 'EXPIRED'
      order.condition = 'EXPIRED'
      await this.announce(order)
    }
  }

  /** Holds a response until the caller gives up or the simulator stops. */
  hang(signal: AbortSignal) {
    return new Promise<void>((resolve) => {
      signal.addEventListener('abort', () => resolve(), { once: true })
      this.stopping.signal.addEventListener('abort', () => resolve(), { once: true })
    })
  }

  reset() {
    this.store.clear()
    this.faults.clear()
    this.deliverer.log.length = 0
    this.offsetMs = 0
  }

  async stop() {
    this.stopping.abort()
    this.deliverer.stop()
    await Promise.allSettled([...this.background])
  }
}

export interface RunningSimulator {
  sim: Simulator
  url: string
  stop(): Promise<void>
}

/** Serves the simulator on a loopback port (0: any free one); it never binds elsewhere. */
export function startSimulator(options: SimulatorOptions, port = 0): RunningSimulator {
  const sim = new Simulator(options)
  const server = Bun.serve({ hostname: '127.0.0.1', port, fetch: sim.handle })
  return {
    sim,
    url: `http://127.0.0.1:${server.port}`,
    stop: async () => {
      await sim.stop()
      await server.stop(true)
    },
  }
}
