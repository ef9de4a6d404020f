/** The provider interface of PROTOCOLS.md §2.6; amounts are whole kyat. */

export type Mmk = number

export const paymentStatuses = [
  'PENDING',
  'SUCCESS',
  'FAILED',
  'REFUNDED',
  'CANCELLED',
  'EXPIRED',
] as const
export type PaymentStatus = (typeof paymentStatuses)[number]

export const qrConditions = ['PRISTINE', 'TOUCHED', 'EXPIRED', 'DIRTY'] as const
export type QrCondition = (typeof qrConditions)[number]

export const paymentMethods = ['QR', 'PIN', 'PWA', 'CARD'] as const
export type PaymentMethod = (typeof paymentMethods)[number]

export interface CreatePaymentInput {
  /** At most 20 characters of `[A-Za-z0-9_]`. */
  orderId: string
  amount: Mmk
  callbackUrl: string
  /** Sent as `customMessage`, at most 150 characters. */
  description?: string
}

export interface CreatedPayment {
  orderId: string
  /** MMPay's `vendorQrRefId`. */
  providerRef: string
  /** The EMVCo/MMQR string to render as a QR code. */
  qrPayload: string
  checkoutUrl?: string
  status: 'PENDING'
  raw: unknown
}

export interface PaymentState {
  orderId: string
  amount: Mmk
  status: PaymentStatus
  condition?: QrCondition
  vendor?: string
  method?: PaymentMethod
  providerRef?: string
  transactionRef?: string
  raw: unknown
}

/** A verified callback; a redelivery is MMPay's SUCCESS with condition TOUCHED. */
export interface WebhookEvent extends PaymentState {
  isRedelivery: boolean
}

export interface PaymentProvider {
  readonly name: 'mmpay' | 'sim'
  /** True when the provider moves no real money (test keys or the local simulator). */
  readonly sandbox: boolean
  createPayment(input: CreatePaymentInput, signal?: AbortSignal): Promise<CreatedPayment>
  getPayment(orderId: string, signal?: AbortSignal): Promise<PaymentState>
  cancelPayment(orderId: string, signal?: AbortSignal): Promise<PaymentState>
  /** Throws WebhookSignatureError; never parses before verifying. */
  verifyWebhook(rawBody: string, headers: Headers, nowMs?: number): WebhookEvent
}

/** The wallets an MMQR code can be paid from, as MMPay names them in `vendor`. */
export const wallets = ['KBZPay', 'WavePay', 'AYAPay', 'CBPay'] as const
export type Wallet = (typeof wallets)[number]
