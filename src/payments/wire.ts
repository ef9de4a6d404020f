import { Value } from '@sinclair/typebox/value'
import { t, type Static, type TSchema } from 'elysia'
import { paymentMethods, paymentStatuses, qrConditions, type PaymentState } from './types'

/**
 * MMPay's JSON shapes (PROTOCOLS.md §2.3), shared by the provider that reads them and the
 * simulator that writes them. Unknown extra fields are allowed: MMPay may add some.
 */

// The SDK documents amounts as numbers but shows "1500.50"; both forms are read.
const amount = t.Union([t.Number(), t.String({ pattern: '^\\d+(\\.\\d+)?$' })])

export const handshakeResponse = t.Object({ token: t.String({ minLength: 1 }) })

export const createResponse = t.Object({
  orderId: t.String(),
  status: t.Literal('PENDING'),
  vendorQrRefId: t.String(),
  transactionRefId: t.Optional(t.String()),
  amount,
  currency: t.Optional(t.String()),
  qr: t.String({ minLength: 1 }),
  url: t.Optional(t.String()),
})

export const paymentResponse = t.Object({
  appId: t.Optional(t.String()),
  orderId: t.String(),
  amount,
  vendor: t.Optional(t.String()),
  method: t.Optional(t.UnionEnum(paymentMethods)),
  status: t.UnionEnum(paymentStatuses),
  condition: t.Optional(t.UnionEnum(qrConditions)),
  transactionRefId: t.Optional(t.String()),
  vendorQrRefId: t.Optional(t.String()),
  customMessage: t.Optional(t.String()),
  callbackUrl: t.Optional(t.String()),
  callbackUrlStatus: t.Optional(t.String()),
  createdAt: t.Optional(t.Union([t.String(), t.Number()])),
  qr: t.Optional(t.String()),
  url: t.Optional(t.String()),
})

export const callbackBody = t.Object({
  orderId: t.String({ minLength: 1 }),
  amount,
  currency: t.Optional(t.String()),
  vendor: t.Optional(t.String()),
  method: t.Optional(t.UnionEnum(paymentMethods)),
  status: t.UnionEnum(paymentStatuses),
  condition: t.Optional(t.UnionEnum(qrConditions)),
  transactionRefId: t.Optional(t.String()),
  vendorQrRefId: t.Optional(t.String()),
  callbackUrl: t.Optional(t.String()),
  customMessage: t.Optional(t.String()),
})

export type CreateResponse = Static<typeof createResponse>
export type PaymentResponse = Static<typeof paymentResponse>
export type CallbackBody = Static<typeof callbackBody>

/** The value if it fits the schema, otherwise undefined. */
export function read<S extends TSchema>(schema: S, value: unknown): Static<S> | undefined {
  return Value.Check(schema, value) ? (value as Static<S>) : undefined
}

export function toState(body: PaymentResponse | CallbackBody): PaymentState {
  return {
    orderId: body.orderId,
    amount: Number(body.amount),
    status: body.status,
    condition: body.condition,
    vendor: body.vendor,
    method: body.method,
    providerRef: body.vendorQrRefId,
    transactionRef: body.transactionRefId,
    raw: body,
  }
}
