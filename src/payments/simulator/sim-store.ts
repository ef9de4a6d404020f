import { randomInt } from 'node:crypto'
import { buildMmqr } from '../mmqr'
import type { PaymentMethod, PaymentStatus, QrCondition } from '../types'
import type { CallbackBody, PaymentResponse } from '../wire'

export interface SimMerchant {
  appId: string
  publishableKey: string
  secretKey: string
  defaultCallbackUrl?: string
}

export interface SimOrder {
  appId: string
  orderId: string
  amount: number
  /** What the wallet actually paid; differs from `amount` only in a mismatch test. */
  paidAmount?: number
  status: PaymentStatus
  condition: QrCondition
  vendor?: string
  method?: PaymentMethod
  transactionRefId?: string
  vendorQrRefId: string
  qr: string
  callbackUrl?: string
  customMessage: string
  callbackUrlStatus: 'PENDING' | 'SUCCESS' | 'FAILED'
  createdAt: number
  expiresAt: number
}

const digits = (count: number) =>
  Array.from({ length: count }, (_, i) => randomInt(i === 0 ? 1 : 0, 10)).join('')

/** The simulator's orders and one-time handshake tokens, in memory. */
export class SimStore {
  readonly orders = new Map<string, SimOrder>()
  private readonly tokens = new Map<string, { key: string; expiresAt: number }>()

  constructor(
    private readonly now: () => number,
    private readonly qrTtlMs: number,
  ) {}

  issueToken(appId: string, orderId: string, nonce: string): string {
    const token = `bt_${digits(24)}`
    this.tokens.set(token, { key: `${appId}|${orderId}|${nonce}`, expiresAt: this.now() + 60_000 })
    return token
  }

  /** Single use: a token is gone once presented, whether it matched or not. */
  takeToken(token: string, appId: string, orderId: string, nonce: string): boolean {
    const entry = this.tokens.get(token)
    this.tokens.delete(token)
    if (!entry || entry.expiresAt < this.now()) return false
    return entry.key === `${appId}|${orderId}|${nonce}`
  }

  find(appId: string, orderId: string): SimOrder | undefined {
    const order = this.orders.get(orderId)
    return order?.appId === appId ? order : undefined
  }

  create(appId: string, input: CreateFields): SimOrder {
    const vendorQrRefId = digits(14)
    const order: SimOrder = {
      appId,
      orderId: input.orderId,
      amount: input.amount,
      status: 'PENDING',
      condition: 'PRISTINE',
      vendorQrRefId,
      qr: buildMmqr({
        merchantGuid: 'mm.sandbox.mmqr',
        merchantId: 'SIM0000001',
        merchantName: 'MM LLM GATEWAY SANDBOX',
        merchantCity: 'Yangon',
        amountMmk: input.amount,
        reference: input.orderId,
        terminal: 'GW01',
      }),
      callbackUrl: input.callbackUrl,
      customMessage: input.customMessage,
      callbackUrlStatus: 'PENDING',
      createdAt: this.now(),
      expiresAt: this.now() + this.qrTtlMs,
    }
    this.orders.set(order.orderId, order)
    return order
  }

  pay(order: SimOrder, vendor: string, method: PaymentMethod, paidAmount?: number) {
    order.status = 'SUCCESS'
    order.condition = 'PRISTINE'
    order.vendor = vendor
    order.method = method
    order.paidAmount = paidAmount
    order.transactionRefId = digits(12)
  }

  /** PENDING orders whose QR lifetime is over; the caller expires and announces them. */
  overdue(): SimOrder[] {
    const now = this.now()
    return [...this.orders.values()].filter((o) => o.status === 'PENDING' && o.expiresAt <= now)
  }

  clear() {
    this.orders.clear()
    this.tokens.clear()
  }
}

export interface CreateFields {
  orderId: string
  amount: number
  callbackUrl?: string
  customMessage: string
}

export function getShape(order: SimOrder): PaymentResponse {
  return {
    appId: order.appId,
    orderId: order.orderId,
    amount: order.paidAmount ?? order.amount,
    vendor: order.vendor,
    method: order.method,
    customMessage: order.customMessage,
    callbackUrl: order.callbackUrl,
    callbackUrlStatus: order.callbackUrlStatus,
    status: order.status,
    condition: order.condition,
    createdAt: new Date(order.createdAt).toISOString(),
    transactionRefId: order.transactionRefId,
    vendorQrRefId: order.vendorQrRefId,
    qr: order.qr,
  }
}

/** The callback body, fields in the order MMPay sends them. */
export function callbackShape(order: SimOrder): CallbackBody {
  return {
    orderId: order.orderId,
    amount: order.paidAmount ?? order.amount,
    currency: 'MMK',
    vendor: order.vendor,
    method: order.method,
    status: order.status,
    condition: order.condition,
    transactionRefId: order.transactionRefId,
    vendorQrRefId: order.vendorQrRefId,
    customMessage: order.customMessage,
  }
}
