import {
  ProviderBodyError,
  ProviderNetworkError,
  ProviderStatusError,
  WebhookSignatureError,
} from './errors'
import { signPayload, verifyPayload } from './signature'
import type {
  CreatedPayment,
  CreatePaymentInput,
  PaymentProvider,
  PaymentState,
  WebhookEvent,
} from './types'
import {
  callbackBody,
  createResponse,
  handshakeResponse,
  paymentResponse,
  read,
  toState,
} from './wire'

export interface MMPayConfig {
  appId: string
  publishableKey: string
  secretKey: string
  /** e.g. http://127.0.0.1:4010 for the simulator; no trailing slash. */
  baseUrl: string
  /** Default: either key contains "_test_". */
  sandbox?: boolean
  timeoutMs?: number
  webhookToleranceMs?: number
  clock?: () => number
  fetch?: typeof fetch
}

type Operation = 'handshake' | 'create' | 'get' | 'cancel'

/**
 * MMPay's wire protocol (PROTOCOLS.md §2.3): every call is signed over `nonce + "." + body`,
 * and each create/get/cancel is preceded by a handshake that binds a btoken to its nonce.
 */
export class MMPayProvider implements PaymentProvider {
  readonly name = 'mmpay'
  readonly sandbox: boolean
  private readonly timeoutMs: number
  private readonly toleranceMs: number
  private readonly now: () => number
  private readonly fetch: typeof fetch

  constructor(private readonly config: MMPayConfig) {
    this.sandbox =
      config.sandbox ??
      (config.publishableKey.includes('_test_') || config.secretKey.includes('_test_'))
    this.timeoutMs = config.timeoutMs ?? 15_000
    this.toleranceMs = config.webhookToleranceMs ?? 86_400_000
    this.now = config.clock ?? Date.now
    this.fetch = config.fetch ?? fetch
  }

  async createPayment(input: CreatePaymentInput, signal?: AbortSignal): Promise<CreatedPayment> {
    const body = await this.call(
      'create',
      input.orderId,
      (nonce) => ({
        appId: this.config.appId,
        nonce,
        amount: input.amount,
        orderId: input.orderId,
        callbackUrl: input.callbackUrl,
        customMessage: (input.description ?? '').slice(0, 150),
        items: [{ name: input.description || 'Top-up', amount: input.amount, quantity: 1 }],
      }),
      signal,
    )
    const created = read(createResponse, body.json)
    if (!created || created.orderId !== input.orderId) {
      throw new ProviderBodyError('create', body.status)
    }
    return {
      orderId: created.orderId,
      providerRef: created.vendorQrRefId,
      qrPayload: created.qr,
      checkoutUrl: created.url,
      status: 'PENDING',
      raw: created,
    }
  }

  getPayment(orderId: string, signal?: AbortSignal): Promise<PaymentState> {
    return this.stateCall('get', orderId, signal)
  }

  cancelPayment(orderId: string, signal?: AbortSignal): Promise<PaymentState> {
    return this.stateCall('cancel', orderId, signal)
  }

  verifyWebhook(rawBody: string, headers: Headers, nowMs = this.now()): WebhookEvent {
    const nonce = headers.get('x-mmpay-nonce') ?? ''
    const signature = headers.get('x-mmpay-signature') ?? ''
    if (!/^\d{1,16}$/.test(nonce)) throw new WebhookSignatureError('nonce missing or not digits')
    if (!verifyPayload(this.config.secretKey, nonce, rawBody, signature)) {
      throw new WebhookSignatureError('signature mismatch')
    }
    // MMPay's retry policy for nonces is unknown, so the window is wide; replays are made
    // harmless by idempotent handling, not by this check.
    if (Math.abs(nowMs - Number(nonce)) > this.toleranceMs) {
      throw new WebhookSignatureError('nonce outside the accepted window')
    }

    const event = read(callbackBody, parseJson(rawBody))
    if (!event) throw new WebhookSignatureError('signed body is not a callback')
    const state = toState(event)
    return { ...state, isRedelivery: event.status === 'SUCCESS' && event.condition === 'TOUCHED' }
  }

  private async stateCall(op: 'get' | 'cancel', orderId: string, signal?: AbortSignal) {
    const body = await this.call(op, orderId, (nonce) => ({ orderId, nonce }), signal)
    const state = read(paymentResponse, body.json)
    if (!state || state.orderId !== orderId) throw new ProviderBodyError(op, body.status)
    return toState(state)
  }

  /** A handshake, then the operation itself with the btoken, both under one nonce. */
  private async call(
    op: Exclude<Operation, 'handshake'>,
    orderId: string,
    payload: (nonce: string) => Record<string, unknown>,
    signal?: AbortSignal,
  ) {
    const nonce = String(this.now())
    const handshake = await this.post('handshake', { orderId, nonce }, nonce, undefined, signal)
    const token = read(handshakeResponse, handshake.json)
    if (!token) throw new ProviderBodyError('handshake', handshake.status)
    return this.post(op, payload(nonce), nonce, token.token, signal)
  }

  private async post(
    op: Operation,
    payload: Record<string, unknown>,
    nonce: string,
    btoken: string | undefined,
    signal?: AbortSignal,
  ) {
    const body = JSON.stringify(payload)
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.config.publishableKey}`,
      'content-type': 'application/json',
      'x-mmpay-nonce': nonce,
      'x-mmpay-signature': signPayload(this.config.secretKey, nonce, body),
    }
    if (btoken) headers['x-mmpay-btoken'] = btoken

    const response = await this.send(op, body, headers, signal)
    const text = await response.text().catch((error) => {
      throw new ProviderNetworkError(op, false, error)
    })
    const json = parseJson(text)
    if (!response.ok) throw new ProviderStatusError(op, response.status, errorCode(json))
    return { status: response.status, json }
  }

  private async send(
    op: Operation,
    body: string,
    headers: Record<string, string>,
    signal?: AbortSignal,
  ) {
    const timeout = AbortSignal.timeout(this.timeoutMs)
    const url = `${this.config.baseUrl}/payments/${this.sandbox ? 'sandbox-' : ''}${op}`
    try {
      return await this.fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      })
    } catch (error) {
      throw new ProviderNetworkError(op, timeout.aborted, error)
    }
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function errorCode(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined
  const code = (json as Record<string, unknown>).code
  return typeof code === 'string' ? code : undefined
}
