import { publicBaseUrl, type Config } from '../config'
import type { Database } from '../db/database'
import type { Clock } from '../lib/clock'
import type { Ledger } from '../ledger/ledger'
import type { Logger } from '../ops/logger'
import { KeyedLock } from './keyed-lock'
import { MMPayProvider } from './mmpay-provider'
import { TopupOrders } from './orders'
import { Reconciler } from './reconciler'
import { TopupReview } from './review'
import { Settlement } from './settlement'
import { startSimulator, type RunningSimulator } from './simulator/simulator'
import { Topups } from './topups'
import type { PaymentProvider } from './types'

export interface Payments {
  provider: PaymentProvider
  orders: TopupOrders
  topups: Topups
  settlement: Settlement
  reconciler: Reconciler
  review: TopupReview
  /** The local MMPay simulator, when no MMPay credentials are configured. */
  sandbox?: RunningSimulator
  /**
   * The portal's button that pays a QR through the simulator. Never in production: its credit
   * is real balance, which real upstream requests could spend.
   */
  sandboxWallet?: RunningSimulator
  limits: { minMmk: number; maxMmk: number; expirySeconds: number }
  /** Points callbacks at another address, for a server whose port is known only once it listens. */
  setCallbackBase(url: string): void
  stop(): Promise<void>
}

export interface PaymentsDeps {
  config: Config
  db: Database
  ledger: Ledger
  clock: Clock
  logger: Logger
}

// The simulator's merchant exists only inside this process; these keys open nothing real.
const sandboxMerchant = {
  appId: 'MMSANDBOX1',
  publishableKey: 'pk_test_sargalay_sandbox',
  secretKey: 'sk_test_sargalay_sandbox',
}

/** Top-ups with MMPay when configured, otherwise with the local simulator. */
export function createPayments(deps: PaymentsDeps): Payments {
  const { config, db, ledger, clock, logger } = deps
  const sandbox = config.MMPAY_SECRET_KEY ? undefined : startSandbox(config)
  const provider = new MMPayProvider({
    appId: config.MMPAY_APP_ID ?? sandboxMerchant.appId,
    publishableKey: config.MMPAY_PUBLISHABLE_KEY ?? sandboxMerchant.publishableKey,
    secretKey: config.MMPAY_SECRET_KEY ?? sandboxMerchant.secretKey,
    baseUrl: config.MMPAY_BASE_URL ?? sandbox!.url,
    timeoutMs: config.MMPAY_TIMEOUT_MS,
    webhookToleranceMs: config.MMPAY_WEBHOOK_TOLERANCE_MS,
  })
  if (sandbox) {
    logger.warn('payments_sandbox', {
      simulator: sandbox.url,
      provider: 'mmpay-sim',
      sandboxWallet: config.NODE_ENV !== 'production',
    })
  } else
    logger.info('payments_mmpay', { baseUrl: config.MMPAY_BASE_URL, sandbox: provider.sandbox })
  if (!sandbox && !config.PUBLIC_BASE_URL) {
    logger.warn('payments_callback_url_guessed', {
      callbackUrl: `${publicBaseUrl(config)}/webhooks/mmpay`,
      hint: 'set PUBLIC_BASE_URL to the address MMPay can reach',
    })
  }

  let callbackBase = publicBaseUrl(config)
  const lock = new KeyedLock()
  const orders = new TopupOrders(db)
  const limits = {
    minMmk: config.TOPUP_MIN_MMK,
    maxMmk: config.TOPUP_MAX_MMK,
    expirySeconds: config.TOPUP_EXPIRY_SECONDS,
  }
  const settlement = new Settlement({ orders, ledger, provider, clock, logger, lock })
  const topups = new Topups({
    orders,
    provider,
    clock,
    logger,
    limits,
    callbackUrl: () => `${callbackBase}/webhooks/mmpay`,
  })
  const reconciler = new Reconciler(orders, settlement, provider, clock, logger, {
    callbackGraceMs: config.TOPUP_CALLBACK_GRACE_SECONDS * 1000,
    creatingTimeoutMs: config.MMPAY_TIMEOUT_MS * 4,
  })
  const stopReconciler = reconciler.start(config.TOPUP_RECONCILE_SECONDS * 1000)

  return {
    provider,
    orders,
    topups,
    settlement,
    reconciler,
    review: new TopupReview(orders, ledger, clock, lock),
    sandbox,
    sandboxWallet: config.NODE_ENV === 'production' ? undefined : sandbox,
    limits,
    setCallbackBase: (url) => void (callbackBase = url.replace(/\/+$/, '')),
    stop: async () => {
      stopReconciler()
      await sandbox?.stop()
    },
  }
}

/** The simulator keeps QR codes payable a little longer than we wait, as a real provider would. */
function startSandbox(config: Config) {
  return startSimulator(
    { merchants: [sandboxMerchant], qrTtlMs: (config.TOPUP_EXPIRY_SECONDS + 60) * 1000 },
    config.MMPAY_SANDBOX_PORT,
  )
}
