import { verifyPayload } from '../signature'
import type { Simulator } from './simulator'
import { getShape, type SimMerchant } from './sim-store'

type Op = 'handshake' | 'create' | 'get' | 'cancel'

const json = (status: number, body: unknown) => Response.json(body, { status })
const refuse = (status: number, code: string, message: string) => json(status, { code, message })

interface Authorized {
  merchant: SimMerchant
  nonce: string
  body: Record<string, unknown>
}

/** `POST /payments/{op}` and `/payments/sandbox-{op}`, checked as MMPay checks them. */
export async function handleWire(sim: Simulator, request: Request, path: string) {
  const match = /^\/payments\/(sandbox-)?(handshake|create|get|cancel)$/.exec(path)
  if (!match || request.method !== 'POST') return undefined
  const op = match[2] as Op

  const fault = sim.faults.take(op)
  if (fault === 'status_503') return refuse(503, 'UPSTREAM', 'Upstream payment API failed')
  if (fault === 'malformed') return new Response('{"status": "PEND', { status: 200 })
  if (fault === 'hang') {
    // The caller gave up before we processed anything, so nothing is created.
    await sim.hang(request.signal)
    return refuse(503, 'UPSTREAM', 'Upstream payment API failed')
  }

  const auth = await authorize(sim, request, Boolean(match[1]))
  if (auth instanceof Response) return auth
  if (!sim.withinRateLimit(auth.merchant.appId)) {
    return refuse(429, 'RATE_LIMIT', 'Rate limit hit (1000 req/min)')
  }
  const orderId = typeof auth.body.orderId === 'string' ? auth.body.orderId : ''
  if (!orderId) return refuse(400, 'MISSING_FIELDS', 'orderId is required')

  if (op === 'handshake') {
    return json(200, { token: sim.store.issueToken(auth.merchant.appId, orderId, auth.nonce) })
  }
  const btoken = request.headers.get('x-mmpay-btoken')
  if (!btoken) return refuse(401, 'BA001', 'Btoken nonce token missing')
  if (!sim.store.takeToken(btoken, auth.merchant.appId, orderId, auth.nonce)) {
    return refuse(401, 'BA002', 'Btoken nonce mismatch')
  }
  if (op === 'create') return create(sim, auth)
  return op === 'get' ? get(sim, auth, orderId) : cancel(sim, auth, orderId)
}

async function authorize(sim: Simulator, request: Request, sandboxPath: boolean) {
  const bearer = /^Bearer (\S+)$/.exec(request.headers.get('authorization') ?? '')?.[1]
  const merchant = bearer ? sim.merchantByKey(bearer) : undefined
  if (!merchant) return refuse(401, 'KA0001', 'Bearer token missing or unknown')
  if (merchant.publishableKey.includes('_test_') !== sandboxPath) {
    return refuse(401, 'KA0002', 'Key does not match the live or sandbox path')
  }

  const raw = await request.text()
  const nonce = request.headers.get('x-mmpay-nonce') ?? ''
  const signature = request.headers.get('x-mmpay-signature') ?? ''
  if (!verifyPayload(merchant.secretKey, nonce, raw, signature)) {
    return refuse(401, 'KA0003', 'Signature mismatch')
  }
  const body = parseObject(raw)
  if (!body) return refuse(400, 'MISSING_FIELDS', 'Body must be a JSON object')
  if (body.nonce !== nonce) return refuse(400, 'MISSING_FIELDS', 'nonce must match the header')
  return { merchant, nonce, body } satisfies Authorized
}

function create(sim: Simulator, { merchant, body }: Authorized) {
  const amount = body.amount
  const customMessage = typeof body.customMessage === 'string' ? body.customMessage : ''
  if (typeof amount !== 'number' || !(amount > 0)) {
    return refuse(400, 'MISSING_FIELDS', 'amount must be a positive number')
  }
  if (customMessage.length > 150) return refuse(400, 'MISSING_FIELDS', 'customMessage too long')

  const orderId = body.orderId as string
  const existing = sim.store.find(merchant.appId, orderId)
  if (existing) return json(409, { code: 'DUPLICATE_ORDER', ...getShape(existing) })

  const order = sim.store.create(merchant.appId, {
    orderId,
    amount,
    customMessage,
    callbackUrl: typeof body.callbackUrl === 'string' ? body.callbackUrl : undefined,
  })
  if (sim.emitCreatedCallback) sim.announceLater(merchant, order)
  return json(201, {
    orderId: order.orderId,
    status: order.status,
    vendorQrRefId: order.vendorQrRefId,
    transactionRefId: order.vendorQrRefId,
    amount: order.amount,
    currency: 'MMK',
    qr: order.qr,
  })
}

function get(sim: Simulator, { merchant }: Authorized, orderId: string) {
  const order = sim.store.find(merchant.appId, orderId)
  if (!order) return refuse(404, 'NOT_FOUND', 'No such order')
  return json(200, getShape(order))
}

async function cancel(sim: Simulator, { merchant }: Authorized, orderId: string) {
  const order = sim.store.find(merchant.appId, orderId)
  if (!order) return refuse(404, 'NOT_FOUND', 'No such order')
  if (order.status !== 'PENDING' && order.status !== 'CANCELLED') {
    return refuse(409, 'NOT_CANCELLABLE', `Order is ${order.status}`)
  }
  if (order.status === 'PENDING') {
    order.status = 'CANCELLED'
    sim.announceLater(merchant, order)
  }
  return json(200, {
    amount: order.amount,
    orderId: order.orderId,
    status: order.status,
    vendorQrRefId: order.vendorQrRefId,
  })
}

function parseObject(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw)
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}
